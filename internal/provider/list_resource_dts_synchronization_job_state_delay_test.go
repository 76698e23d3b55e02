package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// A result's name says how far behind its direction is when DTS reports it
// a minute or more behind, and nothing when it is less behind or when the
// family reports no delay for it (the legacy calls: Reverse).
func TestAccSynchronizationJobStateList_queryDelay(t *testing.T) {
	t.Parallel()
	acctest.SkipUnless(t, acctest.Query)
	for i, api := range acctest.APIs {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			prefix := fmt.Sprintf("dtsqdl%d", i)
			base := time.Now().Add(-time.Hour)
			behind := acctest.OneWayJob(prefix+"bhd", fakedts.PayTypePostPaid)
			behind.Name, behind.CreateTime = "orders-behind", base
			live := acctest.OneWayJob(prefix+"liv", fakedts.PayTypePostPaid)
			live.Name, live.CreateTime = "orders-live", base.Add(time.Minute)
			twoWay := acctest.TwoWayJob(prefix+"two", fakedts.PayTypePostPaid)
			twoWay.Name, twoWay.CreateTime = "orders-two", base.Add(2*time.Minute)
			twoWay.Reverse.Status = "Suspending"
			f := acctest.NewFake(t, behind, live, twoWay)
			// Catching up too slowly to move during the test.
			must(t, f.SetCatchUpRate(behind.ID, 1e-6))
			must(t, f.SetCatchUpRate(twoWay.ID, 1e-6))
			must(t, f.SetDelay(behind.ID, "Forward", 4*time.Minute+12*time.Second))
			must(t, f.SetDelay(twoWay.ID, "Forward", 38*time.Second)) // under the minute: no delay in the name
			must(t, f.SetDelay(twoWay.ID, "Reverse", 2*time.Hour+3*time.Minute))

			family := acctest.Maintained
			reverse := `^orders-two \(Reverse, Suspending, 2h[3-9]m behind\)$` // paused: it grows
			if api == "synchronization_job" {
				family, reverse = acctest.Legacy, `^orders-two \(Reverse, Suspending\)$`
			}
			name := func(jobID, direction, re string) querycheck.QueryResultCheck {
				return querycheck.ExpectResourceDisplayName("dts_synchronization_job_state.orders",
					queryfilter.ByResourceIdentity(listedIdentityIn(family, f, jobID, direction)),
					knownvalue.StringRegexp(regexp.MustCompile(re)))
			}
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
							querycheck.ExpectLength("dts_synchronization_job_state.orders", 4),
							// 4m12s set; DTS's whole seconds may round it down.
							name(behind.ID, "Forward", `^orders-behind \(Forward, Synchronizing, 4m1[12]s behind\)$`),
							name(live.ID, "Forward", `^orders-live \(Forward, Synchronizing\)$`),
							name(twoWay.ID, "Forward", `^orders-two \(Forward, Synchronizing\)$`),
							name(twoWay.ID, "Reverse", reverse),
						},
					},
				},
			})
		})
	}
}
