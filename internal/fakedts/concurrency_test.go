package fakedts

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentClients hammers one server from many goroutines with
// mixed actions, admin reads and control calls; run with -race.
func TestConcurrentClients(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Seed: 1})
	s.SetFaults(Faults{Error5xxRate: 0.05, Actions: []string{describe}})
	const workers, perWorker = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				var action string
				params := map[string]string{"SynchronizationJobId": DefaultInventoryJobID}
				if w%2 == 1 {
					params["SynchronizationDirection"] = "Reverse"
				}
				switch i % 4 {
				case 0:
					action = "SuspendSynchronizationJob"
				case 1:
					action = "StartSynchronizationJob"
				case 2:
					action = describe
				default:
					action = "DescribeSynchronizationJobs"
					params = nil
				}
				resp, err := http.DefaultClient.Do(buildV1(t, s, v1Req{action: action, params: params}))
				if err != nil {
					errs <- err
					continue
				}
				if resp.StatusCode != 200 && resp.StatusCode != 500 && resp.StatusCode != 503 {
					errs <- fmt.Errorf("%s: HTTP %d", action, resp.StatusCode)
				}
				resp.Body.Close()
				switch i % 5 {
				case 0:
					s.Job(DefaultInventoryJobID)
				case 1:
					s.CallCount("")
				case 2:
					if r, err := http.Get(s.URL() + "/_admin/jobs"); err == nil {
						r.Body.Close()
					}
				case 3:
					_ = s.SetStatus(DefaultOrdersJobID, "", StatusSynchronizing)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := s.CallCount(""); n != workers*perWorker {
		t.Fatalf("logged %d calls, want %d", n, workers*perWorker)
	}
	ids := map[string]bool{}
	for _, c := range s.Calls() {
		if ids[c.RequestID] {
			t.Fatalf("duplicate request id %s", c.RequestID)
		}
		ids[c.RequestID] = true
	}
}
