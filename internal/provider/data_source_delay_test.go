package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// delayInRange accepts a delay_seconds from lo to hi.
func delayInRange(lo, hi int64) knownvalue.Check {
	return knownvalue.Int64Func(func(v int64) error {
		if v < lo || v > hi {
			return fmt.Errorf("delay_seconds %d is not from %d to %d", v, lo, hi)
		}
		return nil
	})
}

// delaySteady accepts a delay set to want on a direction that catches up
// too slowly to move in a test: whole seconds, rounded down.
func delaySteady(want time.Duration) knownvalue.Check {
	s := int64(want / time.Second)
	return delayInRange(s-2, s)
}

// delayGrowing accepts a delay set to want on a paused or failed direction,
// which has grown with the clock since (the fake's clock is real time).
func delayGrowing(want time.Duration) knownvalue.Check {
	s := int64(want / time.Second)
	return delayInRange(s, s+300)
}

// reverseDelayIn is the delay_seconds the job data source shows for a
// Reverse direction that is not in a failure status: the maintained listing
// reports it, the legacy status list does not (null).
func reverseDelayIn(api string, want knownvalue.Check) knownvalue.Check {
	if api == "synchronization_job" {
		return knownvalue.Null()
	}
	return want
}

// delayUnits are the fake's readings of the DtsJob actions' Delay field.
var delayUnits = []fakedts.DelayUnit{fakedts.DelayUnitDocumented, fakedts.DelayUnitSeconds, fakedts.DelayUnitMilliseconds}

// Replication delays the delay tests set: the running Forward direction
// behind, the paused and the failed Reverse further behind.
const (
	runningBehind = 4*time.Minute + 12*time.Second
	otherBehind   = 38 * time.Second
	pausedBehind  = 10 * time.Minute
	failedBehind  = 20 * time.Minute
)

// delayFake serves two two-way jobs whose Forward runs behind, catching up
// too slowly to see: behind's Forward runningBehind with its Reverse paused
// pausedBehind, failed's Forward otherBehind with its Reverse failed
// failedBehind. behind is the newer. The fake
// reports the DtsJob actions' Delay in unit.
func delayFake(t *testing.T, prefix string, unit fakedts.DelayUnit) (f *fakedts.Server, behind, failed string) {
	t.Helper()
	behind, failed = "dts"+prefix+"bhd", "dts"+prefix+"fld"
	b := acctest.TwoWayJob(behind, fakedts.PayTypePostPaid)
	b.Reverse.Status = "Suspending"
	b.CreateTime = time.Now().Add(-time.Hour)
	fl := acctest.TwoWayJob(failed, fakedts.PayTypePostPaid)
	fl.Reverse.Status = "Failed"
	fl.Reverse.ErrorMessage = "DTS-071001: Reverse writer failed."
	fl.CreateTime = b.CreateTime.Add(-time.Minute)
	f = acctest.NewFake(t, b, fl)
	bh := f.CurrentBehavior()
	bh.DelayUnit = unit
	must(t, f.SetBehavior(bh))
	for _, id := range []string{behind, failed} {
		must(t, f.SetCatchUpRate(id, 1e-6))
	}
	must(t, f.SetDelay(behind, "Forward", runningBehind))
	must(t, f.SetDelay(failed, "Forward", otherBehind))
	must(t, f.SetDelay(behind, "Reverse", pausedBehind))
	must(t, f.SetDelay(failed, "Reverse", failedBehind))
	return f, behind, failed
}

// Both data sources show the delay DTS reports, in whole seconds, under
// either family and whichever unit the DtsJob actions use: the job data
// source per direction (a running Reverse's null with the legacy calls,
// whose status list reports none; a failed Reverse's from the status read
// its error message takes), the jobs data source for Forward.
func TestAccSynchronizationJobDataSources_delay(t *testing.T) {
	t.Parallel()
	for _, api := range []string{"dts_job", "synchronization_job"} {
		for i, unit := range delayUnits {
			t.Run(api+"/"+string(unit), func(t *testing.T) {
				t.Parallel()
				f, behind, failed := delayFake(t, fmt.Sprintf("dl%c%d", api[0], i), unit)
				resource.UnitTest(t, resource.TestCase{
					PreCheck:                 func() { acctest.PreCheck(t) },
					ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						Config: acctest.ProviderConfigWith(f, fmt.Sprintf("api = %q", api)) + fmt.Sprintf(`
data "dts_synchronization_job" "behind" {
  synchronization_job_id = %[1]q
}

data "dts_synchronization_job" "failed" {
  synchronization_job_id = %[2]q
}

data "dts_synchronization_jobs" "all" {}
`, behind, failed),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.dts_synchronization_job.behind", tfjsonpath.New("delay_seconds"),
								delaySteady(runningBehind)),
							statecheck.ExpectKnownValue("data.dts_synchronization_job.behind", tfjsonpath.New("directions"),
								knownvalue.ListExact([]knownvalue.Check{
									knownvalue.ObjectPartial(map[string]knownvalue.Check{
										"direction": knownvalue.StringExact("Forward"), "delay_seconds": delaySteady(runningBehind),
									}),
									knownvalue.ObjectPartial(map[string]knownvalue.Check{
										"direction": knownvalue.StringExact("Reverse"), "status": knownvalue.StringExact("Suspending"),
										"delay_seconds": reverseDelayIn(api, delayGrowing(pausedBehind)),
									}),
								})),
							statecheck.ExpectKnownValue("data.dts_synchronization_job.failed", tfjsonpath.New("directions"),
								knownvalue.ListExact([]knownvalue.Check{
									knownvalue.ObjectPartial(map[string]knownvalue.Check{
										"direction": knownvalue.StringExact("Forward"), "delay_seconds": delaySteady(otherBehind),
									}),
									knownvalue.ObjectPartial(map[string]knownvalue.Check{
										"direction": knownvalue.StringExact("Reverse"), "status": knownvalue.StringExact("Failed"),
										"delay_seconds": delayGrowing(failedBehind),
									}),
								})),
							statecheck.ExpectKnownValue("data.dts_synchronization_jobs.all", tfjsonpath.New("jobs"),
								knownvalue.ListExact([]knownvalue.Check{
									knownvalue.ObjectPartial(map[string]knownvalue.Check{
										"id": knownvalue.StringExact(behind), "delay_seconds": delaySteady(runningBehind),
									}),
									knownvalue.ObjectPartial(map[string]knownvalue.Check{
										"id": knownvalue.StringExact(failed), "delay_seconds": delaySteady(otherBehind),
									}),
								})),
						},
					}},
				})
			})
		}
	}
}

// stripDelays removes every Delay and DelayMillis field from a DTS answer:
// an answer that carries no delay.
func stripDelays(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	var strip func(any)
	strip = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			delete(v, "Delay")
			delete(v, "DelayMillis")
			for _, e := range v {
				strip(e)
			}
		case []any:
			for _, e := range v {
				strip(e)
			}
		}
	}
	strip(v)
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

// When DTS's answers carry no delay, the data sources show null, not 0: an
// unknown delay must not read as a job that is caught up.
func TestAccSynchronizationJobDataSources_delayNotReported(t *testing.T) {
	t.Parallel()
	for _, api := range []string{"dts_job", "synchronization_job"} {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			const jobID = "dtsdsnodelay"
			job := acctest.TwoWayJob(jobID, fakedts.PayTypePostPaid)
			job.Reverse.Status = "Failed"
			ip := acctest.NewInterposed(t, func(w http.ResponseWriter, r *http.Request, _ string, _ int, next http.Handler) bool {
				acctest.Rewrite(w, r, next, stripDelays)
				return true
			}, job)
			must(t, ip.Fake.SetDelay(jobID, "Forward", runningBehind))
			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: ip.ProviderConfig(fmt.Sprintf("api = %q", api)) + fmt.Sprintf(`
data "dts_synchronization_job" "test" {
  synchronization_job_id = %[1]q
}

data "dts_synchronization_jobs" "all" {}
`, jobID),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.dts_synchronization_job.test", tfjsonpath.New("delay_seconds"), knownvalue.Null()),
						statecheck.ExpectKnownValue("data.dts_synchronization_job.test", tfjsonpath.New("directions"),
							knownvalue.ListExact([]knownvalue.Check{
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"delay_seconds": knownvalue.Null()}),
								knownvalue.ObjectPartial(map[string]knownvalue.Check{
									"status": knownvalue.StringExact("Failed"), "delay_seconds": knownvalue.Null(),
								}),
							})),
						statecheck.ExpectKnownValue("data.dts_synchronization_jobs.all", tfjsonpath.New("jobs"),
							knownvalue.ListExact([]knownvalue.Check{
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"delay_seconds": knownvalue.Null()}),
							})),
					},
				}},
			})
		})
	}
}
