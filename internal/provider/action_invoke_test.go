package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// These tests call the actions' Invoke as the framework does (config in,
// diagnostics and progress out) against the fake DTS, served in process:
// with no sockets, testing/synctest runs them on a fake clock, so timeouts
// and interruptions are exact and the waits take no time.

const invokeRegion = "cn-hangzhou"

// inProcess serves requests with the fake's handler in the caller's
// goroutine. An action in stall runs at the fake, but its answer never
// comes: the request ends only when its context does.
type inProcess struct {
	fake  http.Handler
	stall map[string]bool
}

func (p inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	in := r.Clone(r.Context()) // as a server would see it
	in.RequestURI = r.URL.RequestURI()
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.Header = http.Header{} // darabonba's keys are lower case; a server's are canonical
	for k, v := range r.Header {
		in.Header[http.CanonicalHeaderKey(k)] = v
	}
	p.fake.ServeHTTP(rec, in)
	action := in.Header.Get("x-acs-action")
	if action == "" {
		action = r.URL.Query().Get("Action")
	}
	if p.stall[action] {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return rec.Result(), nil
}

// invokeJob is a running one-way job of the fake.
func invokeJob(id, status string) fakedts.Job {
	return fakedts.Job{
		ID: id, Name: "orders-" + id, Region: invokeRegion, PayType: fakedts.PayTypePostPaid,
		Forward: fakedts.DirectionState{Status: status, Checkpoint: time.Now().Add(-time.Minute).Unix()},
	}
}

// newInvokeAction returns the suspend or resume action configured against
// f in process, as Configure would configure it.
func newInvokeAction(t *testing.T, f *fakedts.Server, desired string, stall ...string) *jobStateAction {
	t.Helper()
	a := NewSynchronizationJobSuspendAction().(*jobStateAction)
	if desired == stateSynchronizing {
		a = NewSynchronizationJobResumeAction().(*jobStateAction)
	}
	a.data = newInProcessData(t, f, stall...)
	return a
}

// newInProcessData is the provider data Configure builds, with a client that
// reaches f in process (inProcess).
func newInProcessData(t *testing.T, f *fakedts.Server, stall ...string) *providerData {
	t.Helper()
	cred := fakedts.DefaultCredential()
	const host = "dts.fake.test"
	d, err := newProviderData(t.Context(), &settings{
		AccessKey: cred.AccessKeyID, SecretKey: cred.AccessKeySecret, Region: invokeRegion,
		Endpoint: host, Protocol: "http", MaxRetries: 2, API: apiAuto,
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	p := inProcess{fake: f, stall: map[string]bool{}}
	for _, a := range stall {
		p.stall[a] = true
	}
	c, err := dtsclient.New(dtsclient.Config{Endpoint: host, Protocol: "http", Credential: d.credential, MaxRetries: 2,
		HTTPClient: &http.Client{Transport: p}, Pacer: d.pacer, Logger: tflogLogger})
	if err != nil {
		t.Fatal(err)
	}
	d.clients["http://"+host] = c
	return d
}

// invoke runs a's Invoke with the attributes given (the others null) and
// returns its diagnostics and progress messages.
func invoke(ctx context.Context, t *testing.T, a *jobStateAction, attrs map[string]tftypes.Value) (diag.Diagnostics, []string) {
	t.Helper()
	var sresp action.SchemaResponse
	a.Schema(ctx, action.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := attrs[name]; ok {
			vals[name] = v
		}
	}
	var progress []string
	resp := action.InvokeResponse{SendProgress: func(e action.InvokeProgressEvent) { progress = append(progress, e.Message) }}
	a.Invoke(ctx, action.InvokeRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}}, &resp)
	return resp.Diagnostics, progress
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

var unknown = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

// mutations counts the Suspend and Start calls the fake received, of both families.
func mutations(f *fakedts.Server) (suspends, starts int) {
	return f.CallCount("SuspendDtsJob") + f.CallCount("SuspendSynchronizationJob"),
		f.CallCount("StartDtsJob") + f.CallCount("StartSynchronizationJob")
}

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Severity().String() + ": " + d.Summary() + ": " + d.Detail() + "\n")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// An action on a job already at its target sends no Suspend or Start; one
// that is not sends exactly one, and the progress says what happened.
func TestActionInvoke_callsOnlyWhenNeeded(t *testing.T) {
	cases := map[string]struct {
		desired, status          string
		wantSuspends, wantStarts int
		wantFirst, wantLast      string
		wantProgressCount        int
	}{
		"suspend a running job":  {stateSuspended, "Synchronizing", 1, 0, "Synchronizing, asking DTS to pause it", "Synchronizing → Suspending", 4},
		"suspend a paused job":   {stateSuspended, "Suspending", 0, 0, "already Suspending, nothing to do", "already Suspending, nothing to do", 1},
		"resume a paused job":    {stateSynchronizing, "Suspending", 0, 1, "Suspending, asking DTS to resume it", "Suspending → Synchronizing", 2},
		"resume a running job":   {stateSynchronizing, "Synchronizing", 0, 0, "already Synchronizing, nothing to do", "already Synchronizing, nothing to do", 1},
		"resume a job not begun": {stateSynchronizing, "NotStarted", 0, 1, "NotStarted, asking DTS to resume it", "NotStarted → Synchronizing", 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := fakedts.New(fakedts.Options{Jobs: []fakedts.Job{invokeJob("dtsinvoke0001", tc.status)}, Seed: 1})
				a := newInvokeAction(t, f, tc.desired)
				diags, progress := invoke(t.Context(), t, a, map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001")})
				if diags.HasError() || len(diags) > 0 {
					t.Fatalf("diagnostics: %s", diagText(diags))
				}
				if s, st := mutations(f); s != tc.wantSuspends || st != tc.wantStarts {
					t.Errorf("%d Suspends and %d Starts, want %d and %d", s, st, tc.wantSuspends, tc.wantStarts)
				}
				if len(progress) == 0 || !strings.Contains(progress[0], tc.wantFirst) || !strings.Contains(progress[len(progress)-1], tc.wantLast) {
					t.Errorf("progress %q, want it to begin with %q and end with %q", progress, tc.wantFirst, tc.wantLast)
				}
				if tc.wantProgressCount > 0 && len(progress) != tc.wantProgressCount {
					t.Errorf("progress %q, want %d messages", progress, tc.wantProgressCount)
				}
			})
		})
	}
}

// A config with a null, unknown or invalid value fails before any call,
// naming the attribute.
func TestActionInvoke_configValues(t *testing.T) {
	cases := map[string]struct {
		attrs map[string]tftypes.Value
		want  string
	}{
		"no job ID":               {map[string]tftypes.Value{}, "Missing Job ID"},
		"unknown job ID":          {map[string]tftypes.Value{"synchronization_job_id": unknown}, "Value Not Known When the Action Runs: synchronization_job_id"},
		"unknown timeout":         {map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001"), "timeout": unknown}, "Value Not Known When the Action Runs: timeout"},
		"unknown direction":       {map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001"), "synchronization_direction": unknown}, "synchronization_direction is not known"},
		"negative timeout":        {map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001"), "timeout": str("-5s")}, `timeout "-5s" is not a positive Go duration`},
		"timeout not a duration":  {map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001"), "timeout": str("soon")}, `timeout "soon" is not a positive Go duration`},
		"job ID of another shape": {map[string]tftypes.Value{"synchronization_job_id": str("rm-not-a-job")}, "Invalid Synchronization Job ID"},
		"direction misspelt":      {map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001"), "synchronization_direction": str("forward")}, `synchronization_direction "forward" is neither Forward nor Reverse`},
		"region misspelt":         {map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001"), "region_id": str("cn hangzhou")}, "region"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := fakedts.New(fakedts.Options{Jobs: []fakedts.Job{invokeJob("dtsinvoke0001", "Synchronizing")}, Seed: 1})
				diags, _ := invoke(t.Context(), t, newInvokeAction(t, f, stateSuspended), tc.attrs)
				if !diags.HasError() || !strings.Contains(diagText(diags), tc.want) {
					t.Errorf("diagnostics %q, want an error saying %q", diagText(diags), tc.want)
				}
				if n := len(f.Calls()); n != 0 {
					t.Errorf("%d calls reached DTS, want none", n)
				}
			})
		})
	}
}

// One invocation sends its Suspend twice only when a read after the first
// shows it did not take: a 503 the fake answers without pausing.
func TestActionInvoke_suspendSentAgainOnlyAfterARead(t *testing.T) {
	cases := map[string]struct {
		fault        fakedts.FaultKind
		wantSuspends int
	}{
		"503, did not run":      {fakedts.FaultServiceUnavailable, 2},
		"answer cut short, ran": {fakedts.FaultTruncateBody, 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := fakedts.New(fakedts.Options{Jobs: []fakedts.Job{invokeJob("dtsinvoke0001", "Synchronizing")}, Seed: 1})
				if err := f.QueueFault("SuspendDtsJob", tc.fault, 1); err != nil {
					t.Fatal(err)
				}
				diags, _ := invoke(t.Context(), t, newInvokeAction(t, f, stateSuspended), map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001")})
				if diags.HasError() {
					t.Fatalf("diagnostics: %s", diagText(diags))
				}
				var seq []string
				for _, c := range f.Calls() {
					seq = append(seq, c.Action)
				}
				if s, _ := mutations(f); s != tc.wantSuspends {
					t.Errorf("%d Suspends, want %d: %v", s, tc.wantSuspends, seq)
				}
				// Between two Suspends there is a read.
				last := ""
				for _, a := range seq {
					if a == "SuspendDtsJob" && last == "SuspendDtsJob" {
						t.Errorf("a Suspend followed a Suspend with no read between: %v", seq)
					}
					if strings.HasPrefix(a, "Describe") || a == "SuspendDtsJob" {
						last = a
					}
				}
			})
		})
	}
}

// The action's timeout covers every call: a read or a Suspend that DTS never
// answers, and a pause that never comes, all end when it passes, with an
// error that says so.
func TestActionInvoke_timeoutCoversEveryCall(t *testing.T) {
	cases := map[string]struct {
		stall      string
		transition time.Duration
		want       string
	}{
		"first read": {stall: "DescribeDtsJobDetail", want: "did not reach state Suspended within 10s; the last status DTS reported was unknown"},
		"suspend":    {stall: "SuspendDtsJob", want: "did not reach state Suspended within 10s"},
		"wait":       {transition: time.Hour, want: "did not reach state Suspended within 10s; the last status DTS reported was Synchronizing"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				job := invokeJob("dtsinvoke0001", "Synchronizing")
				job.TransitionTime = tc.transition
				f := fakedts.New(fakedts.Options{Jobs: []fakedts.Job{job}, Seed: 1})
				setPendingShowsOld(t, f)
				a := newInvokeAction(t, f, stateSuspended, tc.stall)
				start := time.Now()
				diags, _ := invoke(t.Context(), t, a, map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001"), "timeout": str("10s")})
				if elapsed := time.Since(start); elapsed != 10*time.Second {
					t.Errorf("Invoke returned after %s, want 10s", elapsed)
				}
				if got := diagText(diags); !strings.Contains(got, "Timed Out Waiting for Synchronization Job") || !strings.Contains(got, tc.want) {
					t.Errorf("diagnostics %q, want a timeout saying %q", got, tc.want)
				}
			})
		})
	}
}

// Terraform interrupted (Ctrl-C) during the read, the Suspend or the wait:
// Invoke returns at once, and says whether DTS may still pause the job.
func TestActionInvoke_interruptedReturnsAtOnce(t *testing.T) {
	cases := map[string]struct {
		stall      string
		transition time.Duration
		want       string
	}{
		"first read": {stall: "DescribeDtsJobDetail", want: "No pause or resume call had been sent yet"},
		"suspend":    {stall: "SuspendDtsJob", want: "may already have gone through, so DTS may still pause the job"},
		"wait":       {transition: time.Hour, want: "may already have gone through, so DTS may still pause the job"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				job := invokeJob("dtsinvoke0001", "Synchronizing")
				job.TransitionTime = tc.transition
				f := fakedts.New(fakedts.Options{Jobs: []fakedts.Job{job}, Seed: 1})
				setPendingShowsOld(t, f)
				a := newInvokeAction(t, f, stateSuspended, tc.stall)
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				start := time.Now()
				time.AfterFunc(5*time.Second, cancel)
				diags, _ := invoke(ctx, t, a, map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001")})
				if elapsed := time.Since(start); elapsed != 5*time.Second {
					t.Errorf("Invoke returned %s after the start, want 5s, when it was interrupted", elapsed)
				}
				if got := diagText(diags); !strings.Contains(got, "Interrupted While Waiting for Synchronization Job") || !strings.Contains(got, tc.want) {
					t.Errorf("diagnostics %q, want an interruption saying %q", got, tc.want)
				}
			})
		})
	}
}

// setPendingShowsOld makes the fake show the old status until a change
// completes, as DTS may.
func setPendingShowsOld(t *testing.T, f *fakedts.Server) {
	t.Helper()
	b := f.CurrentBehavior()
	b.PendingStatus = fakedts.PendingStatusOld
	if err := f.SetBehavior(b); err != nil {
		t.Fatal(err)
	}
}

// The suspend action says before it pauses what the resource's plan warns
// of: a pay-as-you-go job keeps billing, and a pause can be resumed only for
// a limited time. A subscription job gets the second note only.
func TestActionInvoke_suspendNotesBillingAndResumeLimit(t *testing.T) {
	for name, payType := range map[string]string{"PostPaid": fakedts.PayTypePostPaid, "PrePaid": fakedts.PayTypePrePaid} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				job := invokeJob("dtsinvoke0001", "Synchronizing")
				job.PayType = payType
				f := fakedts.New(fakedts.Options{Jobs: []fakedts.Job{job}, Seed: 1})
				diags, progress := invoke(t.Context(), t, newInvokeAction(t, f, stateSuspended), map[string]tftypes.Value{"synchronization_job_id": str("dtsinvoke0001")})
				if diags.HasError() {
					t.Fatalf("diagnostics: %s", diagText(diags))
				}
				all := strings.Join(progress, "\n")
				billing := strings.Contains(all, "Paused Pay-As-You-Go Job Keeps Billing: Job dtsinvoke0001 (Forward) is pay-as-you-go")
				if billing != (payType == fakedts.PayTypePostPaid) {
					t.Errorf("billing note present = %v for %s; progress:\n%s", billing, payType, all)
				}
				if !strings.Contains(all, "cannot resume one paused for more than 7 days") {
					t.Errorf("no resume-limit note; progress:\n%s", all)
				}
			})
		})
	}
}

// The resume action with max_delay_after_resume resumes, then reports the
// delay as it falls and returns once it is at or below the bound; a bound
// the timeout cannot reach fails with the job running.
func TestActionInvoke_resumeWaitsForCatchUp(t *testing.T) {
	rows := map[string]struct {
		timeout string
		wantErr string
	}{
		"caught up": {timeout: "10m"},
		"timed out": {timeout: "8s", wantErr: "Replication Did Not Catch Up in Time"},
	}
	for name, row := range rows {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := fakedts.New(fakedts.Options{Jobs: []fakedts.Job{invokeJob("dtsinvoke0001", "Suspending")}, Seed: 1})
				if err := f.SetDelay("dtsinvoke0001", "Forward", 4*time.Minute); err != nil {
					t.Fatal(err)
				}
				if err := f.SetCatchUpRate("dtsinvoke0001", 5); err != nil {
					t.Fatal(err)
				}
				diags, progress := invoke(t.Context(), t, newInvokeAction(t, f, stateSynchronizing), map[string]tftypes.Value{
					"synchronization_job_id": str("dtsinvoke0001"), "max_delay_after_resume": str("30s"), "timeout": str(row.timeout)})
				all := strings.Join(progress, "\n")
				if _, starts := mutations(f); starts != 1 {
					t.Errorf("%d Start calls, want 1", starts)
				}
				if j, _ := f.Job("dtsinvoke0001"); j.Forward.Status != "Synchronizing" {
					t.Errorf("the fake reports %s, want the job running", j.Forward.Status)
				}
				if !strings.Contains(all, "orders-dtsinvoke0001 (Forward): Synchronizing, delay 3m5") {
					t.Errorf("no delay in the progress:\n%s", all)
				}
				if row.wantErr == "" {
					if diags.HasError() {
						t.Fatalf("diagnostics: %s", diagText(diags))
					}
					last := progress[len(progress)-1]
					if !strings.Contains(last, "→ 30s") && !strings.Contains(last, "→ 2") && !strings.Contains(last, "→ 1") {
						t.Errorf("the last progress %q does not show a delay at or below 30s", last)
					}
					return
				}
				text := diagText(diags)
				for _, want := range []string{row.wantErr, "is running: DTS resumed it", "above max_delay_after_resume (30s)",
					"s per second); at that pace it reaches 30s in about"} {
					if !strings.Contains(text, want) {
						t.Errorf("diagnostics lack %q: %s", want, text)
					}
				}
			})
		})
	}
}
