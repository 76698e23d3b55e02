package fakedts

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The maintained DtsJob actions (docs/development/dts-api.md §5.4) act on the same jobs as
// the legacy ones: a job is found by its task ID (DtsJobId), its instance ID
// (DtsInstanceId; DtsInstanceID in DescribeDtsJobDetail) or both.

// dtsJobActions are the actions that answer in the DtsJob shapes.
var dtsJobActions = map[string]bool{
	"SuspendDtsJob":        true,
	"StartDtsJob":          true,
	"DescribeDtsJobDetail": true,
	"DescribeDtsJobs":      true,
}

type dtsJobSuccessBody struct {
	HTTPStatusCode int    `json:"HttpStatusCode"`
	RequestID      string `json:"RequestId"`
	Success        bool   `json:"Success"`
}

// errDtsJobParameter is the DtsJob family's invalid-value answer: ErrMessage
// carries %s and DynamicMessage the parameter name (docs/development/dts-api.md §8).
func errDtsJobParameter(name string) *apiError {
	e := businessError(CodeInvalidParameter, "The Value of Input Parameter %s is not valid.")
	e.dynamic = name
	return e
}

// withDtsJob runs fn on the job and direction a per-job DtsJob action
// names, with the job advanced to now. The job is named by task ID, instance
// ID or both (both must name the same job); instanceParam is the spelling of
// the instance ID parameter this action takes. A job outside the RegionId
// named is not found.
func (s *Server) withDtsJob(req *apiRequest, instanceParam string, fn func(jb *job, d *direction) *apiError) *apiError {
	switch req.param("SynchronizationDirection") {
	case "", DirectionForward, DirectionReverse:
	default:
		return errDtsJobParameter("SynchronizationDirection")
	}
	taskID, instanceID, region := req.param("DtsJobId"), req.param(instanceParam), req.param("RegionId")
	if taskID == "" && instanceID == "" {
		return errMissingParameter("DtsJobId")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	jb := s.jobs[instanceID]
	if instanceID == "" {
		for _, j := range s.jobs {
			if j.cfg.DtsJobID == taskID {
				jb = j
				break
			}
		}
	}
	if jb == nil || (taskID != "" && jb.cfg.DtsJobID != taskID) || (region != "" && region != jb.cfg.Region) {
		return s.errNotFoundLocked()
	}
	jb.advance(s.nowLocked())
	d := jb.dir(req.param("SynchronizationDirection"))
	if d == nil {
		return errDtsJobParameter("SynchronizationDirection")
	}
	return fn(jb, d)
}

// dtsJobChange is SuspendDtsJob or StartDtsJob: change runs on the job.
func dtsJobChange(change func(*job, *direction, string, time.Time) *apiError) actionFunc {
	return func(s *Server, req *apiRequest, requestID string) (any, *apiError) {
		e := s.withDtsJob(req, "DtsInstanceId", func(jb *job, d *direction) *apiError {
			return change(jb, d, req.action, s.nowLocked())
		})
		if e != nil {
			return nil, e
		}
		return dtsJobSuccessBody{HTTPStatusCode: http.StatusOK, RequestID: requestID, Success: true}, nil
	}
}

func (s *Server) actDescribeDtsJobDetail(req *apiRequest, requestID string) (any, *apiError) {
	var out dtsJobDetail
	e := s.withDtsJob(req, "DtsInstanceID", func(jb *job, d *direction) *apiError {
		out = jb.detailResponse(d, s.nowLocked())
		return nil
	})
	if e != nil {
		return nil, e
	}
	out.RequestID, out.Success, out.HTTPStatusCode, out.Code = requestID, true, http.StatusOK, http.StatusOK
	return out, nil
}

var dtsJobTypes = []string{"MIGRATION", "SYNC", "SUBSCRIBE"}

// dtsJobsFilter is what a DescribeDtsJobs call asks for.
type dtsJobsFilter struct {
	jobType, taskID, instanceID, status, region string
	searchType, search                          string
	tags                                        []Tag
	descending                                  bool
}

func parseDtsJobsFilter(req *apiRequest) (dtsJobsFilter, *apiError) {
	// Region is the documented parameter, RegionId the deprecated one that
	// the alicloud provider still sends alone.
	f := dtsJobsFilter{jobType: cmp.Or(req.param("JobType"), "MIGRATION"), taskID: req.param("DtsJobId"),
		instanceID: req.param("DtsInstanceId"), status: req.param("Status"), searchType: req.param("Type"),
		search: req.param("Params"), region: cmp.Or(req.param("Region"), req.param("RegionId"))}
	if !slices.Contains(dtsJobTypes, f.jobType) {
		return f, errInvalidParameter("JobType", "Valid values are MIGRATION, SYNC and SUBSCRIBE.")
	}
	switch f.searchType {
	case "", "instance", "name", "srcRds", "rds":
	default:
		return f, errInvalidParameter("Type", "Valid values are instance, name, srcRds and rds.")
	}
	if col := req.param("OrderColumn"); col != "" && col != "CreateTime" && col != "FinishTime" && col != "duLimit" {
		return f, errInvalidParameter("OrderColumn", "Valid values are CreateTime, FinishTime and duLimit.")
	}
	switch req.param("OrderDirection") {
	case "", "ASC":
	case "DESC":
		f.descending = true
	default:
		return f, errInvalidParameter("OrderDirection", "Valid values are ASC and DESC.")
	}
	if raw := req.param("Tags"); raw != "" {
		var tags []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		}
		if err := json.Unmarshal([]byte(raw), &tags); err != nil {
			return f, errInvalidParameter("Tags", `It must be a JSON array such as [{"key":"k","value":"v"}].`)
		}
		for _, t := range tags {
			if t.Key == "" {
				return f, errInvalidParameter("Tags", "Every tag needs a key.")
			}
			f.tags = append(f.tags, Tag{Key: t.Key, Value: t.Value})
		}
	}
	return f, nil
}

// matches reports whether the job's Forward task is one the filter asks
// for. The fake has synchronization jobs only.
func (f dtsJobsFilter) matches(jb *job) bool {
	c := jb.cfg
	switch {
	case f.jobType != "SYNC",
		f.region != "" && c.Region != f.region,
		f.taskID != "" && c.DtsJobID != f.taskID,
		f.instanceID != "" && c.ID != f.instanceID,
		f.status != "" && !strings.EqualFold(jb.visibleStatus(jb.dirs[0]), f.status),
		!hasTags(c.Tags, f.tags):
		return false
	}
	if f.search == "" {
		return true
	}
	switch f.searchType {
	case "instance":
		return c.ID == f.search
	case "name", "":
		return strings.Contains(strings.ToLower(c.Name), strings.ToLower(f.search))
	case "srcRds":
		return c.Source.InstanceID == f.search
	default: // rds
		return c.Source.InstanceID == f.search || c.Destination.InstanceID == f.search
	}
}

func (s *Server) actDescribeDtsJobs(req *apiRequest, requestID string) (any, *apiError) {
	pageNum, e := intParam(req, "PageNumber", 1, 1, 1<<30)
	if e != nil {
		return nil, e
	}
	pageSize, e := s.pageSizeParam(req, 20, true)
	if e != nil {
		return nil, e
	}
	f, e := parseDtsJobsFilter(req)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	var matched []*job
	for _, jb := range s.sortedJobsLocked() { // newest first
		jb.advance(now)
		if f.matches(jb) {
			matched = append(matched, jb)
		}
	}
	if !f.descending {
		slices.Reverse(matched)
	}
	out := dtsJobsResponse{RequestID: requestID, Success: true, HTTPStatusCode: http.StatusOK, PageNumber: pageNum,
		TotalRecordCount: len(matched), DtsJobList: []dtsJobItem{}, EtlDemoList: []dtsJobItem{}}
	from := min((pageNum-1)*pageSize, len(matched))
	to := min(from+pageSize, len(matched))
	for _, jb := range matched[from:to] {
		out.DtsJobList = append(out.DtsJobList, jb.dtsJobItem(now))
	}
	out.PageRecordCount = len(out.DtsJobList)
	return out, nil
}
