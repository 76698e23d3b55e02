package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestResolveSettings_batchStatusReads(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		value       types.Bool
		wantBatcher bool
	}{
		"unset: on by default": {value: types.BoolNull(), wantBatcher: true},
		"true":                 {value: types.BoolValue(true), wantBatcher: true},
		"false":                {value: types.BoolValue(false), wantBatcher: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := withNulls(providerModel{AccessKey: types.StringValue("ak"), SecretKey: types.StringValue("sk")})
			cfg.BatchStatusReads = tc.value
			s, diags := resolveSettings(cfg, envOf(nil))
			if diags.HasError() || s == nil {
				t.Fatalf("unexpected result: %+v %v", s, diags)
			}
			if s.DisableBatchStatusReads == tc.wantBatcher {
				t.Errorf("DisableBatchStatusReads = %v, want %v", s.DisableBatchStatusReads, !tc.wantBatcher)
			}
			d, err := newProviderData(context.Background(), s, "test")
			if err != nil {
				t.Fatal(err)
			}
			if (d.shared.statuses != nil) != tc.wantBatcher {
				t.Errorf("batcher present = %v, want %v", d.shared.statuses != nil, tc.wantBatcher)
			}
			if b := d.shared.statuses; b != nil && (b.window != 15*time.Millisecond || b.maxWait != 100*time.Millisecond || b.maxIDs != 50) {
				t.Errorf("batcher window %s, longest wait %s and cap %d, want the documented 15ms, 100ms and 50", b.window, b.maxWait, b.maxIDs)
			}
		})
	}
}

func TestResolveSettings_batchStatusReadsUnknown(t *testing.T) {
	t.Parallel()
	cfg := withNulls(providerModel{})
	cfg.BatchStatusReads = types.BoolUnknown()
	if s, diags := resolveSettings(cfg, envOf(nil)); s != nil || diags.HasError() {
		t.Fatalf("an unknown batch_status_reads should leave the provider unconfigured, got %+v %v", s, diags)
	}
}
