package provider_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// queryJobs are what the query tests list: a two-way job with its reverse
// paused, a paused one-way job and a running one whose name does not match
// ^orders-.
func queryJobs(prefix string) (twoWay, paused, other fakedts.Job) {
	base := time.Now().Add(-time.Hour)
	twoWay = acctest.TwoWayJob("dts"+prefix+"two", fakedts.PayTypePostPaid)
	twoWay.Name = "orders-sync"
	twoWay.Reverse.Status = "Suspending"
	twoWay.CreateTime = base
	paused = acctest.WithForward(acctest.OneWayJob("dts"+prefix+"arc", fakedts.PayTypePrePaid), "Suspending")
	paused.Name = "orders-archive"
	paused.CreateTime = base.Add(time.Minute)
	other = acctest.OneWayJob("dts"+prefix+"usr", fakedts.PayTypePostPaid)
	other.Name = "users-sync"
	other.CreateTime = base.Add(2 * time.Minute)
	return twoWay, paused, other
}

func TestAccSynchronizationJobStateList_query(t *testing.T) {
	t.Parallel()
	twoWay, paused, other := queryJobs("qry")
	f := acctest.NewFake(t, twoWay, paused, other)
	reverse := queryfilter.ByResourceIdentity(listedIdentityOf(f, twoWay.ID, "Reverse"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.Query),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The query runs in a configuration that configures the provider.
				Config: acctest.ProviderConfig(f),
			},
			{
				Query: true,
				Config: `
list "dts_synchronization_job_state" "orders" {
  provider         = dts
  include_resource = true
  config {
    name_regex = "^orders-"
  }
}

list "dts_synchronization_job_state" "all" {
  provider = dts
  config {
    region_id = "cn-hangzhou"
  }
}

list "dts_synchronization_job_state" "first" {
  provider = dts
  limit    = 1
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("dts_synchronization_job_state.orders", 3),
					querycheck.ExpectLength("dts_synchronization_job_state.all", 4),
					querycheck.ExpectLength("dts_synchronization_job_state.first", 1),
					querycheck.ExpectIdentity("dts_synchronization_job_state.orders", listedIdentityOf(f, twoWay.ID, "Forward")),
					querycheck.ExpectIdentity("dts_synchronization_job_state.orders", listedIdentityOf(f, twoWay.ID, "Reverse")),
					querycheck.ExpectIdentity("dts_synchronization_job_state.orders", listedIdentityOf(f, paused.ID, "Forward")),
					querycheck.ExpectIdentity("dts_synchronization_job_state.all", listedIdentityOf(f, other.ID, "Forward")),
					// DTS lists the newest job first.
					querycheck.ExpectIdentity("dts_synchronization_job_state.first", listedIdentityOf(f, other.ID, "Forward")),
					querycheck.ExpectResourceDisplayName("dts_synchronization_job_state.orders", reverse,
						knownvalue.StringRegexp(pausedName(acctest.API(), "orders-sync", "Reverse"))),
					querycheck.ExpectResourceKnownValues("dts_synchronization_job_state.orders", reverse, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("state"), KnownValue: knownvalue.StringExact("Suspended")},
						{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("Suspending")},
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(twoWay.ID + ":Reverse")},
						{Path: tfjsonpath.New("job_name"), KnownValue: knownvalue.StringExact("orders-sync")},
						{Path: tfjsonpath.New("resume_on_destroy"), KnownValue: knownvalue.Bool(false)},
						{Path: tfjsonpath.New("suspended_at"), KnownValue: knownvalue.NotNull()},
						// The job's task ID, as an import then refresh writes it, when the family lists it.
						{Path: tfjsonpath.New("dts_job_id"), KnownValue: acctest.TaskIDIn(f, twoWay.ID)},
					}),
				},
			},
		},
	})
	wantQueryFamily(t, f, acctest.API())
}

// pausedName matches the display name of a direction queryJobs pauses a
// minute behind: with how far behind it is when the family under api
// reports the direction's delay (the legacy calls report Forward's only).
func pausedName(api, job, direction string) *regexp.Regexp {
	behind := `, \d+m(\d+s)? behind`
	if api == "synchronization_job" && direction != "Forward" {
		behind = ""
	}
	return regexp.MustCompile(`^` + regexp.QuoteMeta(job+" ("+direction+", Suspending") + behind + `\)$`)
}

// unanchored is re without its ^ and $, to find in a command's output.
func unanchored(re *regexp.Regexp) *regexp.Regexp {
	s := re.String()
	return regexp.MustCompile(s[1 : len(s)-1])
}

// wantQueryFamily checks that a query under api listed with that family's
// actions only, and changed and read no job on its own.
func wantQueryFamily(t *testing.T, f *fakedts.Server, api string) {
	t.Helper()
	used, unused := []string{"DescribeDtsJobs"}, []string{"DescribeSynchronizationJobs", "DescribeSynchronizationJobStatusList"}
	if api == "synchronization_job" {
		used, unused = unused, used
	}
	for _, action := range used {
		if f.CallCount(action) == 0 {
			t.Errorf("api = %q: no %s calls while querying", api, action)
		}
	}
	unused = append(unused, "SuspendSynchronizationJob", "StartSynchronizationJob", "DescribeSynchronizationJobStatus",
		"SuspendDtsJob", "StartDtsJob", "DescribeDtsJobDetail")
	for _, action := range unused {
		if n := f.CallCount(action); n != 0 {
			t.Errorf("api = %q: %d %s calls while querying, want none", api, n, action)
		}
	}
}

// queryOrdersConfig lists the jobs whose name starts with orders-, with
// their resource objects.
const queryOrdersConfig = `
list "dts_synchronization_job_state" "orders" {
  provider         = dts
  include_resource = true
  config {
    name_regex = "^orders-"
  }
}
`

// Each api value lists in its family: the maintained DescribeDtsJobs
// (whose results carry dts_job_id) for auto and dts_job, only the legacy
// calls for synchronization_job.
func TestAccSynchronizationJobStateList_queryFamily(t *testing.T) {
	t.Parallel()
	acctest.SkipUnless(t, acctest.Query)
	for _, api := range acctest.APIs {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			twoWay, paused, other := queryJobs("fam")
			f := acctest.NewFake(t, twoWay, paused, other)
			family := acctest.Maintained
			if api == "synchronization_job" {
				family = acctest.Legacy
			}
			reverse := listedIdentityIn(family, f, twoWay.ID, "Reverse")
			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				TerraformVersionChecks:   acctest.FeatureChecks(acctest.Query),
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: acctest.ProviderConfigWith(f, fmt.Sprintf("api = %q", api))},
					{
						Query:  true,
						Config: queryOrdersConfig,
						QueryResultChecks: []querycheck.QueryResultCheck{
							querycheck.ExpectLength("dts_synchronization_job_state.orders", 3),
							querycheck.ExpectResourceDisplayName("dts_synchronization_job_state.orders",
								queryfilter.ByResourceIdentity(reverse), knownvalue.StringRegexp(pausedName(api, "orders-sync", "Reverse"))),
							querycheck.ExpectResourceKnownValues("dts_synchronization_job_state.orders",
								queryfilter.ByResourceIdentity(reverse), []querycheck.KnownValueCheck{
									{Path: tfjsonpath.New("dts_job_id"), KnownValue: reverse["dts_job_id"]},
									{Path: tfjsonpath.New("state"), KnownValue: knownvalue.StringExact("Suspended")},
								}),
						},
					},
				},
			})
			wantQueryFamily(t, f, api)
		})
	}
}

// Under auto, a DTS that does not offer DescribeDtsJobs (gateway 404
// InvalidApi.NotFound) is listed with the legacy calls.
func TestAccSynchronizationJobStateList_queryAutoFallsBack(t *testing.T) {
	t.Parallel()
	acctest.SkipUnless(t, acctest.Query)
	twoWay, paused, other := queryJobs("fbk")
	var refused atomic.Int64
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, _ *http.Request, action string, _ int, _ http.Handler) bool {
		if action != "DescribeDtsJobs" {
			return false
		}
		refused.Add(1)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = fmt.Fprint(w, `{"RequestId":"REFUSED-0001","HostId":"dts.aliyuncs.com","Code":"InvalidApi.NotFound",`+
			`"Message":"Specified api is not found, please check your url and method.",`+
			`"Recommend":"https://error-center.aliyun.com/status/search?Keyword=InvalidApi.NotFound&source=PopGw"}`)
		return true
	}, twoWay, paused, other)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.Query),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: ip.ProviderConfig(`api = "auto"`)},
			{
				Query:  true,
				Config: queryOrdersConfig,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("dts_synchronization_job_state.orders", 3),
					querycheck.ExpectIdentity("dts_synchronization_job_state.orders", listedIdentityIn(acctest.Legacy, ip.Fake, twoWay.ID, "Reverse")),
					querycheck.ExpectIdentity("dts_synchronization_job_state.orders", listedIdentityIn(acctest.Legacy, ip.Fake, paused.ID, "Forward")),
				},
			},
		},
	})
	if refused.Load() == 0 {
		t.Error("the query never asked DescribeDtsJobs")
	}
	// The refused calls never reached the fake, so it counts the legacy ones only.
	wantQueryFamily(t, ip.Fake, "synchronization_job")
}

// Bad input fails before any API call, naming the attribute and the value.
func TestAccSynchronizationJobStateList_badInput(t *testing.T) {
	t.Parallel()
	acctest.SkipUnless(t, acctest.Query)
	f := acctest.NewFake(t)
	for name, tc := range map[string]struct{ config, want string }{
		"regex":  {`name_regex = "orders-("`, `name_regex[\s\S]*"orders-\("\s+is\s+not\s+a\s+valid\s+RE2\s+regular\s+expression`},
		"region": {`region_id = "Hangzhou"`, `region_id[\s\S]*"Hangzhou"\s+is\s+not\s+an\s+Alibaba\s+Cloud\s+region\s+ID`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				TerraformVersionChecks:   acctest.FeatureChecks(acctest.Query),
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: acctest.ProviderConfig(f)},
					{
						Query: true,
						Config: fmt.Sprintf(`
list "dts_synchronization_job_state" "bad" {
  provider = dts
  config {
    %s
  }
}
`, tc.config),
						ExpectError: regexp.MustCompile(tc.want),
					},
				},
			})
		})
	}
	if n := f.CallCount(""); n != 0 {
		t.Errorf("%d API calls for bad list configurations, want none", n)
	}
}

// The config Terraform generates for an imported direction (the provider's
// resource object, as terraform query writes it) imports with no change.
func TestAccSynchronizationJobState_importGeneratesConfig(t *testing.T) {
	t.Parallel()
	twoWay, _, _ := queryJobs("gen")
	f := acctest.NewFake(t, twoWay)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.Query),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccSynchronizationJobStateConfig_direction(f, twoWay.ID, "Forward", "Suspended")},
			{
				ResourceName:    resName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				GenerateConfig:  true,
			},
		},
	})
}

// The whole workflow the harness has no step for: terraform query writes
// resource and import blocks, terraform apply imports every direction and
// changes no job, and the next plan is empty.
func TestAccSynchronizationJobStateList_queryGenerateApply(t *testing.T) {
	t.Parallel()
	cli := acctest.SkipUnless(t, acctest.Query)
	twoWay, paused, other := queryJobs("exe")
	f := acctest.NewFake(t, twoWay, paused, other)
	w := acctest.NewWorkdir(t, cli)
	w.Write("main.tf", acctest.ExecProviderBlock+acctest.ProviderConfig(f))
	w.Write("orders.tfquery.hcl", `
list "dts_synchronization_job_state" "orders" {
  provider = dts
  config {
    name_regex = "^orders-"
  }
}
`)
	w.Must("init")
	out := w.Must("query", "-generate-config-out=generated.tf")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`orders-sync \(Forward, Synchronizing\)`),
		unanchored(pausedName(acctest.API(), "orders-sync", "Reverse")),
		unanchored(pausedName(acctest.API(), "orders-archive", "Forward")),
	} {
		if !want.MatchString(out) {
			t.Errorf("terraform query does not list %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "users-sync") {
		t.Errorf("terraform query lists users-sync, which ^orders- does not match:\n%s", out)
	}
	gen := w.Read("generated.tf")
	if n := strings.Count(gen, "import {"); n != 3 {
		t.Errorf("generated.tf has %d import blocks, want 3:\n%s", n, gen)
	}
	if !strings.Contains(gen, `state                     = "Suspended"`) && !strings.Contains(gen, `state = "Suspended"`) {
		t.Errorf("generated.tf declares no paused direction as Suspended:\n%s", gen)
	}

	out = w.Must("apply", "-auto-approve")
	if !regexp.MustCompile(`Apply complete! Resources: 3 imported, 0 added, 0 changed, 0 destroyed`).MatchString(out) {
		t.Errorf("apply of the generated configuration did not import exactly 3 resources:\n%s", out)
	}
	if _, code := w.Run("plan", "-detailed-exitcode"); code != 0 {
		out, _ := w.Run("plan")
		t.Errorf("the plan after importing is not empty (exit %d):\n%s", code, out)
	}
	for _, action := range []string{"SuspendSynchronizationJob", "StartSynchronizationJob"} {
		if n := f.CallCount(action); n != 0 {
			t.Errorf("%d %s calls, want none: importing must not change a job", n, action)
		}
	}
}

// With an endpoint and no region anywhere (a fake, or a gateway that serves
// one region), the generated configuration leaves region_id out rather than
// writing an empty one, which the resource would reject.
func TestAccSynchronizationJobStateList_queryWithoutRegion(t *testing.T) {
	t.Parallel()
	cli := acctest.SkipUnless(t, acctest.Query)
	job := acctest.OneWayJob("dtsnoregion01", fakedts.PayTypePostPaid)
	f := acctest.NewFake(t, job)
	cred := fakedts.DefaultCredential()
	w := acctest.NewWorkdir(t, cli)
	w.Write("main.tf", acctest.ExecProviderBlock+fmt.Sprintf(`
provider "dts" {
  endpoint   = %q
  access_key = %q
  secret_key = %q
}
`, f.URL(), cred.AccessKeyID, cred.AccessKeySecret))
	w.Write("all.tfquery.hcl", `
list "dts_synchronization_job_state" "all" {
  provider = dts
}
`)
	w.Must("init")
	w.Must("query", "-generate-config-out=generated.tf")
	if gen := w.Read("generated.tf"); regexp.MustCompile(`region_id\s*=\s*""`).MatchString(gen) {
		t.Errorf("generated.tf sets an empty region_id:\n%s", gen)
	}
	w.Must("apply", "-auto-approve")
	if _, code := w.Run("plan", "-detailed-exitcode"); code != 0 {
		out, _ := w.Run("plan")
		t.Errorf("the plan after importing is not empty (exit %d):\n%s", code, out)
	}
}
