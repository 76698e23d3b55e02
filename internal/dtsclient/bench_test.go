package dtsclient

import (
	"context"
	"testing"
)

func BenchmarkDecodeJobStatus(b *testing.B) {
	raw := raw200(sampleStatusPaused)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw.body)))
	for b.Loop() {
		var w wireJobStatus
		if ae := interpret(raw, &w); ae != nil {
			b.Fatal(ae)
		}
		if st := w.model(); st.Status != StatusSuspending {
			b.Fatal(st.Status)
		}
	}
}

func BenchmarkBuildAndSendDescribe(b *testing.B) {
	for _, mode := range []struct{ name, alg string }{{"v3", ""}, {"v1", "HMAC-SHA1"}} {
		b.Run(mode.name, func(b *testing.B) {
			f := newFakeDTS(b, always(200, sampleStatusPaused))
			cfg := testConfig(b, f)
			cfg.SignatureAlgorithm = mode.alg
			c := newTestClient(b, cfg)
			ctx := context.Background()
			ref := JobRef{RegionID: "cn-hangzhou", JobID: "dtsmr1q4mc2152xxxx", Direction: DirectionForward}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.DescribeSynchronizationJobStatus(ctx, ref); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
