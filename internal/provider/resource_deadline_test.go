package provider

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The reads an operation makes before or after its wait end by the
// operation's timeout too: a DTS that never answers them fails the apply
// or destroy when timeouts says, not minutes of retries later. Run under
// testing/synctest against the fake served in process (action_invoke_test.go).

// deadlineModel is a resource with both IDs, PostPaid, with timeouts set.
func deadlineModel(t *testing.T, schemaResp resource.SchemaResponse, state string, tos map[string]string) synchronizationJobStateModel {
	t.Helper()
	tt := schemaResp.Schema.Attributes["timeouts"].GetType().(timeouts.Type)
	vals := map[string]attr.Value{}
	for name := range tt.AttrTypes {
		vals[name] = types.StringNull()
		if v, ok := tos[name]; ok {
			vals[name] = types.StringValue(v)
		}
	}
	obj, diags := types.ObjectValue(tt.AttrTypes, vals)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return synchronizationJobStateModel{
		DtsJobID:                 types.StringUnknown(),
		ID:                       types.StringValue(resourceID("dtsdeadline01", "Forward")),
		JobName:                  types.StringUnknown(),
		PayType:                  types.StringUnknown(),
		RegionID:                 types.StringValue(invokeRegion),
		ResumeOnDestroy:          types.BoolValue(true),
		State:                    types.StringValue(state),
		Status:                   types.StringUnknown(),
		SuspendedAt:              types.StringUnknown(),
		SuspendedAtEstimated:     types.BoolUnknown(),
		SynchronizationDirection: types.StringValue("Forward"),
		SynchronizationJobID:     types.StringValue("dtsdeadline01"),
		Timeouts:                 timeouts.Value{Object: obj},
	}
}

func deadlineResource(t *testing.T, stall ...string) (*synchronizationJobStateResource, resource.SchemaResponse) {
	t.Helper()
	job := invokeJob("dtsdeadline01", "Suspending")
	f := fakedts.New(fakedts.Options{Jobs: []fakedts.Job{job}, Seed: 1})
	r := &synchronizationJobStateResource{data: newInProcessData(t, f, stall...)}
	var sresp resource.SchemaResponse
	r.Schema(t.Context(), resource.SchemaRequest{}, &sresp)
	return r, sresp
}

// Delete with resume_on_destroy reads the job before it resumes it: that
// read ends by timeouts.delete.
func TestDelete_readBeforeResumeEndsByTheTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		r, sresp := deadlineResource(t, "DescribeDtsJobDetail")
		m := deadlineModel(t, sresp, stateSuspended, map[string]string{"delete": "10s"})
		m.DtsJobID, m.JobName, m.PayType, m.Status = types.StringValue("deadline01"), types.StringValue("orders"), types.StringValue("PostPaid"), types.StringValue("Suspending")
		m.SuspendedAt, m.SuspendedAtEstimated = types.StringNull(), types.BoolNull()
		st := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
		if diags := st.Set(ctx, &m); diags.HasError() {
			t.Fatal(diags)
		}
		resp := resource.DeleteResponse{State: st}
		start := time.Now()
		r.Delete(ctx, resource.DeleteRequest{State: st}, &resp)
		if elapsed := time.Since(start); elapsed != 10*time.Second {
			t.Errorf("Delete returned after %s, want 10s (timeouts.delete)", elapsed)
		}
		if !resp.Diagnostics.HasError() {
			t.Errorf("Delete succeeded without reading the job: %s", diagText(resp.Diagnostics))
		}
	})
}

// Create with IDs the plan could not resolve looks them up first: that read
// ends by timeouts.create.
func TestCreate_idLookupEndsByTheTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		r, sresp := deadlineResource(t, "DescribeDtsJobDetail")
		m := deadlineModel(t, sresp, stateSynchronizing, map[string]string{"create": "10s"})
		m.ID = types.StringUnknown()
		plan := tfsdk.Plan{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
		if diags := plan.Set(ctx, &m); diags.HasError() {
			t.Fatal(diags)
		}
		resp := resource.CreateResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}}
		start := time.Now()
		r.Create(ctx, resource.CreateRequest{Plan: plan}, &resp)
		if elapsed := time.Since(start); elapsed != 10*time.Second {
			t.Errorf("Create returned after %s, want 10s (timeouts.create)", elapsed)
		}
		if !resp.Diagnostics.HasError() || !strings.Contains(diagText(resp.Diagnostics), "Nothing was saved") {
			t.Errorf("diagnostics %q, want an error saying nothing was saved", diagText(resp.Diagnostics))
		}
	})
}
