package acctest

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// CheckFakeStatus asserts what the fake DTS holds for a job's direction: the
// truth the Terraform state is compared against.
func CheckFakeStatus(f *fakedts.Server, jobID, direction, want string) func(*terraform.State) error {
	return func(*terraform.State) error {
		return FakeStatusIs(f, jobID, direction, want)
	}
}

// FakeStatusIs reports whether the fake holds want for a job's direction.
// A fake that reports the target of a pending change at once (profile
// eager) holds it as far as any client can tell.
func FakeStatusIs(f *fakedts.Server, jobID, direction, want string) error {
	j, ok := f.Job(jobID)
	if !ok {
		return fmt.Errorf("fake DTS has no job %s", jobID)
	}
	d := j.Forward
	if direction == "Reverse" {
		d = j.Reverse
	}
	got := d.Status
	if d.NextStatus == want && f.CurrentBehavior().PendingStatus == fakedts.PendingStatusTarget {
		got = d.NextStatus
	}
	if got != want {
		return fmt.Errorf("fake DTS job %s (%s) is %s, want %s", jobID, direction, got, want)
	}
	return nil
}

// CheckCallCount asserts how many calls of an action the fake answered.
func CheckCallCount(f *fakedts.Server, action string, want int) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := f.CallCount(action); got != want {
			return fmt.Errorf("fake DTS answered %d %s calls, want %d", got, action, want)
		}
		return nil
	}
}
