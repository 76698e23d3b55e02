package provider_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// Two workspaces apply at once on one account quota, each with its own
// provider process and so its own rate limiter that knows nothing of the
// other: both pace their calls instead of failing, every job ends paused,
// and the plan after each is empty.
func TestAccSynchronizationJobState_twoProcessesShareQuota(t *testing.T) {
	t.Parallel()
	const n = 12
	f := acctest.NewFake(t, append(acctest.ManyJobs("wsa", n), acctest.ManyJobs("wsb", n)...)...)
	f.SetFaults(fakedts.Faults{ThrottleRate: 4})
	workspaces := map[string]*acctest.CLI{}
	for _, prefix := range []string{"wsa", "wsb"} {
		cli := acctest.NewCLI(t)
		cli.WriteConfig(acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "fleet" {
  count                  = %d
  synchronization_job_id = format("dts%s%%04d", count.index)
  state                  = "Suspended"
}
`, n, prefix))
		workspaces[prefix] = cli
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	outputs := map[string]string{}
	failed := map[string]error{}
	for prefix, cli := range workspaces {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := cli.Run("apply", "-auto-approve", "-input=false", "-no-color")
			mu.Lock()
			defer mu.Unlock()
			outputs[prefix] = out
			if err != nil {
				failed[prefix] = err
			}
		}()
	}
	wg.Wait()
	for prefix, err := range failed {
		t.Errorf("apply of workspace %s: %v\n%s", prefix, err, outputs[prefix])
	}
	throttled := 0
	for _, c := range f.Calls() {
		if c.Fault == fakedts.FaultThrottling {
			throttled++
		}
	}
	if throttled == 0 {
		t.Error("DTS throttled no call: the test did not share a quota that binds")
	}
	for prefix, cli := range workspaces {
		for i := range n {
			if err := acctest.FakeStatusIs(f, fmt.Sprintf("dts%s%04d", prefix, i), "Forward", "Suspending"); err != nil {
				t.Error(err)
			}
		}
		out, err := cli.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
		if err != nil || !strings.Contains(out, "No changes") {
			t.Errorf("plan of workspace %s after the applies: %v\n%s", prefix, err, out)
		}
	}
}
