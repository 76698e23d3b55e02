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
func FakeStatusIs(f *fakedts.Server, jobID, direction, want string) error {
	j, ok := f.Job(jobID)
	if !ok {
		return fmt.Errorf("fake DTS has no job %s", jobID)
	}
	got := j.Forward.Status
	if direction == "Reverse" {
		got = j.Reverse.Status
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
