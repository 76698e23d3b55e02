package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// everyStatus is every status the fake serves (the client's vocabulary of
// job statuses), each with the status the legacy family shows for it and
// whether the query returns a direction in it: only running and paused
// directions, which a configuration imports with no change.
var everyStatus = []struct {
	status, legacy string
	listed         bool
}{
	{"NotStarted", "NotStarted", false},
	{"Prechecking", "Prechecking", false},
	{"PrecheckFailed", "PrecheckFailed", false},
	{"Initializing", "Initializing", false},
	{"InitializeFailed", "InitializeFailed", false},
	{"Synchronizing", "Synchronizing", true},
	{"Failed", "Failed", false},
	{"Suspending", "Suspending", true},
	{"Modifying", "Modifying", true},
	{"Finished", "Finished", false},
	{"NotConfigured", "NotStarted", false},
	{"PreCheckPass", "NotStarted", false},
	{"Retrying", "Synchronizing", true},
	{"Locked", "Failed", false},
	{"Upgrade", "Modifying", true},
	{"Downgrade", "Modifying", true},
}

// statusJobs is one two-way job per status, its Forward direction in that
// status and its Reverse in the status five rows on, so that every status
// is seen in both directions and beside both a listed and a left-out one.
// Start-up steps take an hour, so a job stays where it was seeded.
func statusJobs(prefix string) []fakedts.Job {
	base := time.Now().Add(-time.Hour)
	var jobs []fakedts.Job
	for i, s := range everyStatus {
		j := acctest.TwoWayJob(fmt.Sprintf("dts%s%02d", prefix, i), fakedts.PayTypePostPaid)
		j.Name = "st-" + strings.ToLower(s.status)
		j.Forward.Status, j.Reverse.Status = s.status, everyStatus[(i+5)%len(everyStatus)].status
		j.TransitionTime = time.Hour
		j.CreateTime = base.Add(time.Duration(i) * time.Second)
		jobs = append(jobs, j)
	}
	return jobs
}

type statusDirection struct {
	name, direction, status string // status as the family reports it
	listed                  bool
}

// statusDirections is every direction of statusJobs as a family reports it.
func statusDirections(legacy bool) []statusDirection {
	var out []statusDirection
	for i, s := range everyStatus {
		rev := everyStatus[(i+5)%len(everyStatus)]
		fwdStatus, revStatus := s.status, rev.status
		if legacy {
			fwdStatus, revStatus = s.legacy, rev.legacy
		}
		name := "st-" + strings.ToLower(s.status)
		out = append(out, statusDirection{name, "Forward", fwdStatus, s.listed}, statusDirection{name, "Reverse", revStatus, rev.listed})
	}
	return out
}

// A region holding a job in every status of either family: terraform query
// lists the running and paused directions, warns naming every other one
// with its status, and the configuration it generates validates, imports
// every listed direction with no Suspend or Start call, and plans no change
// after.
func TestAccSynchronizationJobStateList_queryEveryStatus(t *testing.T) {
	t.Parallel()
	cli := acctest.SkipUnless(t, acctest.Query)
	for _, api := range []string{"dts_job", "synchronization_job"} {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			f := acctest.NewFake(t, statusJobs("st"+api[:3])...)
			w := acctest.NewWorkdir(t, cli)
			w.Write("main.tf", acctest.ExecProviderBlock+acctest.ProviderConfigWith(f, fmt.Sprintf("api = %q", api)))
			w.Write("all.tfquery.hcl", `
list "dts_synchronization_job_state" "all" {
  provider = dts
}
`)
			w.Must("init")
			out := w.Must("query", "-generate-config-out=generated.tf")
			listed := 0
			for _, d := range statusDirections(api == "synchronization_job") {
				// A direction behind by a minute or more names its delay after the status.
				shown := fmt.Sprintf("%s (%s, %s", d.name, d.direction, d.status)
				if got := regexp.MustCompile(regexp.QuoteMeta(shown) + `[,)]`).MatchString(out); got != d.listed {
					t.Errorf("%s listed: %v, want %v", shown, got, d.listed)
				}
				if d.listed {
					listed++
					continue
				}
				left := regexp.MustCompile(fmt.Sprintf(`- %s \(dts\w+, %s\) is %s: \w`, regexp.QuoteMeta(d.name), d.direction, d.status))
				if !left.MatchString(out) {
					t.Errorf("the query does not say that it left out %s (%s), which is %s", d.name, d.direction, d.status)
				}
			}
			if n := strings.Count(out, "Synchronization Jobs Left Out of the Query"); n != 1 {
				t.Errorf("%d left-out warnings, want one naming every direction left out:\n%s", n, out)
			}
			if t.Failed() {
				t.Logf("terraform query:\n%s", out)
			}

			gen := w.Read("generated.tf")
			if n := strings.Count(gen, "import {"); n != listed {
				t.Errorf("generated.tf has %d import blocks, want %d:\n%s", n, listed, gen)
			}
			if bad := regexp.MustCompile(`state\s*=\s*"(\w+)"`).FindAllStringSubmatch(gen, -1); len(bad) != listed {
				t.Errorf("generated.tf declares %d states, want %d", len(bad), listed)
			} else {
				for _, m := range bad {
					if m[1] != "Synchronizing" && m[1] != "Suspended" {
						t.Errorf("generated.tf declares state %q", m[1])
					}
				}
			}
			w.Must("validate")
			out = w.Must("apply", "-auto-approve")
			if want := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed", listed); !strings.Contains(out, want) {
				t.Errorf("apply of the generated configuration does not say %q:\n%s", want, out)
			}
			if _, code := w.Run("plan", "-detailed-exitcode"); code != 0 {
				out, _ := w.Run("plan")
				t.Errorf("the plan after importing is not empty (exit %d):\n%s", code, out)
			}
			for _, action := range []string{"SuspendSynchronizationJob", "StartSynchronizationJob", "SuspendDtsJob", "StartDtsJob"} {
				if n := f.CallCount(action); n != 0 {
					t.Errorf("%d %s calls, want none: importing must not change a job", n, action)
				}
			}

			// With a limit, the warning still names the directions left out
			// before the last result (Terraform reads nothing after it); see
			// TestAccSynchronizationJobStateList_queryLimitCountsResults.
			w.Write("all.tfquery.hcl", `
list "dts_synchronization_job_state" "all" {
  provider = dts
  limit    = 4
}
`)
			out = w.Must("query")
			if n := len(regexp.MustCompile(`(?m)^list\.dts_synchronization_job_state\.all\s`).FindAllString(out, -1)); n != 4 {
				t.Errorf("the query with limit = 4 shows %d results:\n%s", n, out)
			}
			if !strings.Contains(out, "left out 8 direction(s)") || !strings.Contains(out, "- st-notconfigured (") {
				t.Errorf("the query with limit = 4 does not name the 8 directions left out before its last result:\n%s", out)
			}
		})
	}
}

// limit counts the results returned, not the directions left out: newest
// first, the jobs list Downgrade's, Upgrade's and Retrying's Forward
// directions, leave out eight, and list NotConfigured's Reverse (Downgrade).
func TestAccSynchronizationJobStateList_queryLimitCountsResults(t *testing.T) {
	t.Parallel()
	f := acctest.NewFake(t, statusJobs("lim")...)
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.Query),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(f)},
			{
				Query: true,
				Config: `
list "dts_synchronization_job_state" "first" {
  provider = dts
  limit    = 4
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("dts_synchronization_job_state.first", 4),
					querycheck.ExpectIdentity("dts_synchronization_job_state.first", listedIdentityOf(f, "dtslim12", "Forward")),
					querycheck.ExpectIdentity("dts_synchronization_job_state.first", listedIdentityOf(f, "dtslim10", "Reverse")),
				},
			},
		},
	})
}
