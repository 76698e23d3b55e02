package acctest

import (
	"fmt"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// BatchMode is a provider configuration for the batched-refresh tests.
type BatchMode struct {
	Name    string
	Extra   string // provider arguments, for ProviderConfigWith
	Batched bool
}

// BatchModes are refresh reads batched (the default) and one read per
// resource (batch_status_reads = false).
var BatchModes = []BatchMode{
	{Name: "batching on", Batched: true},
	{Name: "batching off", Extra: "  batch_status_reads = false"},
}

// Config is the provider block of the mode, pointing at f.
func (m BatchMode) Config(f *fakedts.Server) string {
	return ProviderConfigWith(f, m.Extra)
}

// ManyJobs returns n running one-way PostPaid jobs in Region with IDs
// "dts"+prefix+"0000", "dts"+prefix+"0001" and so on.
func ManyJobs(prefix string, n int) []fakedts.Job {
	jobs := make([]fakedts.Job, n)
	for i := range jobs {
		jobs[i] = OneWayJob(fmt.Sprintf("dts%s%04d", prefix, i), fakedts.PayTypePostPaid)
	}
	return jobs
}
