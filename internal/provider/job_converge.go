package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// maxStateConflicts bounds how often a Suspend or Start rejected because the
// job changed under our feet is retried after a fresh read.
const maxStateConflicts = 3

// convergeResult is what DTS last reported while converging, kept even when
// converging fails so that the state can be written truthfully.
type convergeResult struct {
	Last *dtsclient.JobStatus
	// Mutated is true when a Suspend or Start call was accepted.
	Mutated bool
	Reads   int
}

// statusError is a status from which the desired state cannot be reached.
type statusError struct {
	Status       dtsclient.Status
	ErrorMessage string
	Reason       string
}

func (e *statusError) Error() string { return e.Reason }

// timeoutError is a transition that did not finish within the timeout.
type timeoutError struct {
	LastStatus string
	Desired    string
	Timeout    time.Duration
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("timed out after %s waiting for state %s; the last status DTS reported was %s", e.Timeout, e.Desired, e.LastStatus)
}

// converge reads the direction's status and, only when needed, suspends or
// starts it, then polls until DTS reports the desired state. It stops at once
// when ctx is cancelled and with a timeoutError when timeout passes.
func converge(ctx context.Context, c *dtsclient.Client, ref dtsclient.JobRef, desired string, timeout time.Duration) (convergeResult, error) {
	return convergeReporting(ctx, c, ref, desired, timeout, nil)
}

// convergeReporting is converge that hands every status it reads to report
// (nil reports nothing), for callers that show progress.
func convergeReporting(ctx context.Context, c *dtsclient.Client, ref dtsclient.JobRef, desired string, timeout time.Duration,
	report func(*dtsclient.JobStatus)) (convergeResult, error) {
	var res convergeResult
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var (
		issued      = stepNone       // the mutating call already made, if any
		startedFrom dtsclient.Status // the status a Start was issued from
		conflicts   int
		poll        int
	)
	for {
		st, err := c.DescribeSynchronizationJobStatus(waitCtx, ref)
		if err != nil {
			return res, waitError(ctx, waitCtx, err, res, desired, timeout)
		}
		res.Last, res.Reads = st, res.Reads+1
		if report != nil {
			report(st)
		}

		next, err := nextStep(st.Status, desired)
		if err != nil {
			return res, &statusError{Status: st.Status, ErrorMessage: st.ErrorMessage, Reason: err.Error()}
		}
		// A job that fails after we started it will not recover by waiting.
		if issued == stepStart && st.Status == dtsclient.StatusFailed && startedFrom != dtsclient.StatusFailed {
			return res, &statusError{Status: st.Status, ErrorMessage: st.ErrorMessage,
				Reason: "the job failed after StartSynchronizationJob was accepted"}
		}
		if next == stepDone {
			return res, nil
		}
		if (next == stepSuspend || next == stepStart) && issued != next {
			err := mutate(waitCtx, c, ref, next)
			if err != nil {
				if dtsclient.IsJobStateConflict(err) && conflicts < maxStateConflicts {
					// The job moved between our read and the call; look again.
					conflicts++
					tflog.Debug(ctx, "DTS rejected the call for the job's current status; reading it again", map[string]any{"error": err.Error()})
				} else {
					return res, waitError(ctx, waitCtx, err, res, desired, timeout)
				}
			} else {
				issued, startedFrom, poll, res.Mutated = next, st.Status, 0, true
			}
		}
		if err := sleepCtx(waitCtx, pollInterval(poll)); err != nil {
			return res, waitError(ctx, waitCtx, err, res, desired, timeout)
		}
		poll++
	}
}

func mutate(ctx context.Context, c *dtsclient.Client, ref dtsclient.JobRef, s step) error {
	var err error
	if s == stepSuspend {
		_, err = c.SuspendSynchronizationJob(ctx, ref)
	} else {
		_, err = c.StartSynchronizationJob(ctx, ref)
	}
	return err
}

// waitError tells a cancelled run and an expired timeout apart from an API
// failure that merely happened to surface as a context error.
func waitError(parent, waitCtx context.Context, err error, res convergeResult, desired string, timeout time.Duration) error {
	if parent.Err() != nil {
		return fmt.Errorf("cancelled while waiting for state %s: %w", desired, parent.Err())
	}
	if errors.Is(waitCtx.Err(), context.DeadlineExceeded) {
		last := "unknown (no successful read)"
		if res.Last != nil {
			last = res.Last.Status.String()
		}
		return &timeoutError{LastStatus: last, Desired: desired, Timeout: timeout}
	}
	return err
}
