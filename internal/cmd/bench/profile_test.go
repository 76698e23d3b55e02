package main

import (
	"testing"
	"time"
)

// A CPU and a blocking sample as `go tool pprof -traces` prints them.
const tracesText = `File: bench
Type: delay
Time: 2026-12-05 11:37:19 UTC
-----------+-------------------------------------------------------
      side:  provider
   20.32ms   runtime.selectgo
             github.com/dts-provider/terraform-provider-dts/internal/provider.(*batcher[go.shape.05d7]).get
             github.com/dts-provider/terraform-provider-dts/internal/provider.(*statusBatcher).Get
             main.(*timedServer).ReadResource
             google.golang.org/grpc.(*Server).handleStream
-----------+-------------------------------------------------------
    1.50s   encoding/json.(*decodeState).object (inline)
             github.com/dts-provider/terraform-provider-dts/internal/fakedts.(*Server).handle
             net/http.(*conn).serve
-----------+-------------------------------------------------------
  195.26us   runtime.gcBgMarkWorker
-----------+-------------------------------------------------------
`

func TestParseTraces(t *testing.T) {
	s, err := parseTraces(tracesText)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.traces) != 3 {
		t.Fatalf("got %d samples, want 3", len(s.traces))
	}
	want := 20320*time.Microsecond + 1500*time.Millisecond + 195260*time.Nanosecond
	if got := s.total(); got != want {
		t.Errorf("total %v, want %v", got, want)
	}
	read, fake, gc := s.traces[0], s.traces[1], s.traces[2]
	if read.labels["side"] != "provider" || read.rpc() != "ReadResource" || read.side() != "provider" || !read.onRequestPath() {
		t.Errorf("read sample: labels %v, rpc %q, side %q", read.labels, read.rpc(), read.side())
	}
	site, caller, prim := read.blockSite()
	if shortFunc(site) != "internal/provider.(*batcher[...]).get" || shortFunc(caller) != "internal/provider.(*statusBatcher).Get" || prim != "runtime.selectgo" {
		t.Errorf("block site %q from %q in %q", shortFunc(site), shortFunc(caller), prim)
	}
	if fake.frames[0] != "encoding/json.(*decodeState).object" || fake.side() != "fake DTS" || fake.attribute() != "encoding/json" {
		t.Errorf("fake sample: frames %q, side %q, attribute %q", fake.frames, fake.side(), fake.attribute())
	}
	if gc.side() == "provider" || gc.attribute() != "runtime" {
		t.Errorf("GC sample: side %q, attribute %q", gc.side(), gc.attribute())
	}
}

func TestParseScaled(t *testing.T) {
	for in, want := range map[string]time.Duration{"10ms": 10 * time.Millisecond, "1.50s": 1500 * time.Millisecond,
		"2.5mins": 150 * time.Second, "40ns": 40} {
		if got, err := parseScaled(in); err != nil || got != want {
			t.Errorf("parseScaled(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseScaled("12 parsecs"); err == nil {
		t.Error("parseScaled accepted an unknown unit")
	}
}

func TestWaves(t *testing.T) {
	t0 := time.Now()
	at := func(ms float64) time.Time { return t0.Add(time.Duration(ms * float64(time.Millisecond))) }
	// Two batches of reads 16 ms apart, each ending within 2 ms, and a straggler.
	n, largest := waves([]time.Time{at(0), at(1), at(2), at(18), at(17), at(19), at(20), at(60)})
	if n != 3 || largest != 4 {
		t.Errorf("waves = %d (largest %d), want 3 (largest 4)", n, largest)
	}
}
