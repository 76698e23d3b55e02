package dtsclient

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pagedJobs serves total jobs in pages, honouring PageNum and PageSize.
func pagedJobs(total int, reportTotal bool) func(int, *http.Request) reply {
	return func(_ int, r *http.Request) reply {
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("PageNum"))
		size, _ := strconv.Atoi(q.Get("PageSize"))
		var items []string
		for i := (page - 1) * size; i < page*size && i < total; i++ {
			items = append(items, fmt.Sprintf(`{"SynchronizationJobId":"dts%03d","Status":"synchronizing","Delay":"%d"}`, i, i))
		}
		totalField := ""
		if reportTotal {
			totalField = fmt.Sprintf(`,"TotalRecordCount":%d`, total)
		}
		return reply{body: fmt.Sprintf(`{"RequestId":"P%d","PageNumber":%d,"PageRecordCount":%d%s,"SynchronizationInstances":[%s]}`,
			page, page, len(items), totalField, strings.Join(items, ","))}
	}
}

func jobIDs(jobs []JobSummary) []string {
	ids := make([]string, 0, len(jobs))
	for _, j := range jobs {
		ids = append(ids, j.JobID)
	}
	return ids
}

func TestListAllSynchronizationJobs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		replyFn      func(int, *http.Request) reply
		in           ListJobsInput
		wantJobs     int
		wantRequests int
		wantPages    []string
	}{
		"three pages": {
			replyFn: pagedJobs(5, true), in: ListJobsInput{RegionID: "cn-hangzhou", PageSize: 2},
			wantJobs: 5, wantRequests: 3, wantPages: []string{"1", "2", "3"},
		},
		"exact multiple": {
			replyFn: pagedJobs(4, true), in: ListJobsInput{PageSize: 2},
			wantJobs: 4, wantRequests: 2, wantPages: []string{"1", "2"},
		},
		"no jobs": {
			replyFn: pagedJobs(0, true), in: ListJobsInput{},
			wantJobs: 0, wantRequests: 1, wantPages: []string{"1"},
		},
		"default page size": {
			replyFn: pagedJobs(31, true), in: ListJobsInput{},
			wantJobs: 31, wantRequests: 2, wantPages: []string{"1", "2"},
		},
		"no total, short page ends": {
			replyFn: pagedJobs(3, false), in: ListJobsInput{PageSize: 2},
			wantJobs: 3, wantRequests: 2, wantPages: []string{"1", "2"},
		},
		"total overstated, empty page ends": {
			replyFn: func(n int, r *http.Request) reply {
				rep := pagedJobs(3, false)(n, r)
				rep.body = strings.Replace(rep.body, `"SynchronizationInstances"`, `"TotalRecordCount":99,"SynchronizationInstances"`, 1)
				return rep
			},
			in:       ListJobsInput{PageSize: 2},
			wantJobs: 3, wantRequests: 3, wantPages: []string{"1", "2", "3"},
		},
		"PageNum ignored, repeated page ends": {
			replyFn: func(_ int, _ *http.Request) reply {
				return reply{body: `{"TotalRecordCount":99,"SynchronizationInstances":[{"SynchronizationJobId":"a"},{"SynchronizationJobId":"b"}]}`}
			},
			in:       ListJobsInput{PageSize: 2},
			wantJobs: 2, wantRequests: 2, wantPages: []string{"1", "2"},
		},
		"starts at given page, the empty page after it ends": {
			replyFn: pagedJobs(5, true), in: ListJobsInput{PageSize: 2, PageNumber: 3},
			wantJobs: 1, wantRequests: 2, wantPages: []string{"3", "4"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeDTS(t, tc.replyFn)
			c := newTestClient(t, testConfig(t, f))
			jobs, err := c.ListAllSynchronizationJobs(testContext(t), tc.in)
			if err != nil {
				t.Fatalf("ListAllSynchronizationJobs: %v", err)
			}
			if len(jobs) != tc.wantJobs {
				t.Errorf("jobs = %v, want %d", jobIDs(jobs), tc.wantJobs)
			}
			var pages []string
			for _, r := range f.requests() {
				pages = append(pages, r.Query.Get("PageNum"))
			}
			if diff := cmp.Diff(tc.wantPages, pages); diff != "" {
				t.Errorf("PageNum sequence (-want +got):\n%s", diff)
			}
			if got := f.count(); got != tc.wantRequests {
				t.Errorf("requests = %d, want %d", got, tc.wantRequests)
			}
		})
	}
}

func TestListAllStopsOnError(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, func(n int, r *http.Request) reply {
		if n == 1 {
			return reply{status: 400, body: `{"Code":"InvalidParameter","Message":"bad page"}`}
		}
		return pagedJobs(10, true)(n, r)
	})
	c := newTestClient(t, testConfig(t, f))
	jobs, err := c.ListAllSynchronizationJobs(testContext(t), ListJobsInput{PageSize: 2})
	if err == nil || jobs != nil {
		t.Fatalf("ListAllSynchronizationJobs = %v, %v; want error", jobs, err)
	}
}

func TestDescribeSynchronizationJobsPage(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(200, sampleJobs))
	c := newTestClient(t, testConfig(t, f))
	page, err := c.DescribeSynchronizationJobs(testContext(t), ListJobsInput{RegionID: "cn-hangzhou"})
	if err != nil {
		t.Fatalf("DescribeSynchronizationJobs: %v", err)
	}
	if page.RequestID != "B2C3" || page.TotalRecordCount != 2 || len(page.Jobs) != 2 || page.Jobs[0].Tags[0] != (Tag{Key: "env", Value: "prod"}) {
		t.Errorf("page = %+v", page)
	}
	q := f.requests()[0].Query
	if q.Get("PageNum") != "1" || q.Get("PageSize") != "30" || q.Has("SynchronizationJobName") || q.Has("Tag.1.Key") {
		t.Errorf("default query = %v", q)
	}
}
