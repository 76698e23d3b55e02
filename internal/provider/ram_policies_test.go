package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The least-privilege RAM policies the docs ship (examples/ram-policies,
// rendered in the "Least-privilege RAM policies" guide), one read-only and
// one operator policy per api mode. Each is tested against a fake that, like
// RAM, answers NoPermission for every action the policy does not allow.

const ramPolicyDir = "../../examples/ram-policies"

// ramPolicyActions reads the actions a shipped policy allows, without the
// "dts:" prefix. A policy is one Allow statement on every resource.
func ramPolicyActions(t *testing.T, mode, shape string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(ramPolicyDir, mode, shape+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version   string
		Statement []struct {
			Effect   string
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s/%s.json: %v", mode, shape, err)
	}
	if doc.Version != "1" || len(doc.Statement) != 1 || doc.Statement[0].Effect != "Allow" || doc.Statement[0].Resource != "*" {
		t.Fatalf("%s/%s.json: want Version 1 and one Allow statement on Resource *, got %s", mode, shape, raw)
	}
	var out []string
	for _, a := range doc.Statement[0].Action {
		name, ok := strings.CutPrefix(a, "dts:")
		if !ok || strings.Contains(name, "*") {
			t.Fatalf("%s/%s.json: action %q is not one dts action", mode, shape, a)
		}
		out = append(out, name)
	}
	return out
}

// auto calls the maintained family and, for jobs or actions it does not
// serve, the legacy one: its policies are the union of the other two modes'.
func TestRAMPolicies_autoIsTheUnion(t *testing.T) {
	t.Parallel()
	for _, shape := range []string{"read-only", "operator"} {
		want := append(ramPolicyActions(t, "dts_job", shape), ramPolicyActions(t, "synchronization_job", shape)...)
		got := ramPolicyActions(t, "auto", shape)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("auto/%s.json allows %v, want the union of dts_job's and synchronization_job's: %v", shape, got, want)
		}
	}
}

func testAccRAMPolicyConfig(f *fakedts.Server, mode, jobID, state string) string {
	return acctest.ProviderConfigWith(f, fmt.Sprintf("  api = %q\n", mode)) + fmt.Sprintf(`
data "dts_synchronization_job" "test" {
  synchronization_job_id = %[1]q
}

data "dts_synchronization_jobs" "all" {}

resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %[1]q
  state                  = %[2]q
}
`, jobID, state)
}

// servedActions are the actions the fake served, and deniedActions those it
// refused as RAM would.
func servedActions(f *fakedts.Server) (served, denied []string) {
	for _, c := range f.Calls() {
		switch {
		case c.Stage == fakedts.StageRAM:
			denied = append(denied, c.Action)
		case c.HTTPStatus == 200:
			served = append(served, c.Action)
		}
	}
	slices.Sort(served)
	slices.Sort(denied)
	return slices.Compact(served), slices.Compact(denied)
}

// checkPolicyExact fails when the fake refused a call the policy should
// allow, and, in a single-family mode, when the policy allows an action the
// scenario never called: the policy lists exactly what the mode needs.
// Denials of allowedDenials are expected (the read-only policy's refusals).
func checkPolicyExact(t *testing.T, f *fakedts.Server, mode string, allowed []string, allowedDenials ...string) {
	t.Helper()
	served, denied := servedActions(f)
	for _, a := range denied {
		if !slices.Contains(allowedDenials, a) {
			t.Errorf("the policy denied %s, which api = %q calls", a, mode)
		}
	}
	if mode == "auto" {
		return
	}
	for _, a := range allowed {
		if !slices.Contains(served, a) {
			t.Errorf("the policy allows %s, which api = %q never called (served: %v)", a, mode, served)
		}
	}
}

func TestAccRAMPolicies(t *testing.T) {
	t.Parallel()
	for _, mode := range acctest.APIs {
		t.Run(mode+"/read-only", func(t *testing.T) {
			t.Parallel()
			testAccRAMPolicyReadOnly(t, mode)
		})
		t.Run(mode+"/operator", func(t *testing.T) {
			t.Parallel()
			testAccRAMPolicyOperator(t, mode)
		})
	}
}

// permitOnly makes the fake allow the default key only these actions.
func permitOnly(t *testing.T, f *fakedts.Server, actions []string) {
	t.Helper()
	err := f.SetPermissions(fakedts.Permissions{Policies: []fakedts.Policy{
		{AccessKeyID: fakedts.DefaultCredential().AccessKeyID, Allow: actions}}})
	if err != nil {
		t.Fatal(err)
	}
}

// The read-only policy serves plans, refreshes and the data sources, and
// refuses a pause without changing the job.
func testAccRAMPolicyReadOnly(t *testing.T, mode string) {
	jobID := "dtsramro" + strings.ReplaceAll(mode, "_", "")
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
	allowed := ramPolicyActions(t, mode, "read-only")
	permitOnly(t, f, allowed)
	mutations := ramPolicyActions(t, mode, "operator")
	mutations = slices.DeleteFunc(mutations, func(a string) bool { return slices.Contains(allowed, a) })

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			checkPolicyExact(t, f, mode, allowed, mutations...)
			return acctest.FakeStatusIs(f, jobID, "Forward", "Synchronizing")
		},
		Steps: []resource.TestStep{
			{
				// A job already running: the create only reads.
				Config: testAccRAMPolicyConfig(f, mode, jobID, "Synchronizing"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config:      testAccRAMPolicyConfig(f, mode, jobID, "Suspended"),
				ExpectError: regexp.MustCompile(`NoPermission`),
			},
			{
				Config: testAccRAMPolicyConfig(f, mode, jobID, "Synchronizing"),
				Check:  acctest.CheckFakeStatus(f, jobID, "Forward", "Synchronizing"),
			},
		},
	})
}

// The operator policy also pauses and resumes.
func testAccRAMPolicyOperator(t *testing.T, mode string) {
	jobID := "dtsramop" + strings.ReplaceAll(mode, "_", "")
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
	allowed := ramPolicyActions(t, mode, "operator")
	permitOnly(t, f, allowed)

	step := func(state, status string) resource.TestStep {
		return resource.TestStep{
			Config: testAccRAMPolicyConfig(f, mode, jobID, state),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: acctest.CheckFakeStatus(f, jobID, "Forward", status),
		}
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			checkPolicyExact(t, f, mode, allowed)
			return nil
		},
		Steps: []resource.TestStep{
			step("Synchronizing", "Synchronizing"),
			step("Suspended", "Suspending"),
			step("Synchronizing", "Synchronizing"),
		},
	})
}

// terraform query needs only the read-only policy, and the actions need the
// operator one: -invoke of the suspend action is refused under the
// read-only policy and goes through under the operator policy.
func TestAccRAMPolicies_queryAndActions(t *testing.T) {
	t.Parallel()
	cli := acctest.SkipUnless(t, acctest.ProviderActions)
	for _, mode := range acctest.APIs {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			jobID := "dtsramqa" + strings.ReplaceAll(mode, "_", "")
			f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
			readOnly := ramPolicyActions(t, mode, "read-only")
			operator := ramPolicyActions(t, mode, "operator")
			w := acctest.NewWorkdir(t, cli)
			w.Write("main.tf", acctest.ExecProviderBlock+acctest.ProviderConfigWith(f, fmt.Sprintf("  api = %q\n", mode))+fmt.Sprintf(`
action "dts_synchronization_job_suspend" "job" {
  config {
    synchronization_job_id = %[1]q
  }
}

action "dts_synchronization_job_resume" "job" {
  config {
    synchronization_job_id = %[1]q
  }
}
`, jobID))
			w.Write("all.tfquery.hcl", `
list "dts_synchronization_job_state" "all" {
  provider = dts
}
`)
			w.Must("init")

			permitOnly(t, f, readOnly)
			if out := w.Must("query"); !strings.Contains(out, jobID) {
				t.Errorf("terraform query under the read-only policy does not list %s:\n%s", jobID, out)
			}
			out, code := w.Run("apply", "-auto-approve", "-invoke=action.dts_synchronization_job_suspend.job")
			if code == 0 || !strings.Contains(out, "NoPermission") {
				t.Errorf("the suspend action under the read-only policy: exit %d, want a NoPermission failure:\n%s", code, out)
			}
			if err := acctest.FakeStatusIs(f, jobID, "Forward", "Synchronizing"); err != nil {
				t.Fatal(err)
			}

			permitOnly(t, f, operator)
			w.Must("apply", "-auto-approve", "-invoke=action.dts_synchronization_job_suspend.job")
			if err := acctest.FakeStatusIs(f, jobID, "Forward", "Suspending"); err != nil {
				t.Fatal(err)
			}
			w.Must("apply", "-auto-approve", "-invoke=action.dts_synchronization_job_resume.job")
			if err := acctest.FakeStatusIs(f, jobID, "Forward", "Synchronizing"); err != nil {
				t.Fatal(err)
			}
			mutations := slices.DeleteFunc(slices.Clone(operator), func(a string) bool { return slices.Contains(readOnly, a) })
			_, denied := servedActions(f)
			for _, a := range denied {
				if !slices.Contains(mutations, a) {
					t.Errorf("the policies denied %s, which terraform query or the actions call under api = %q", a, mode)
				}
			}
		})
	}
}
