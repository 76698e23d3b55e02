package fakedts

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

type successBody struct {
	RequestID string `json:"RequestId"`
	Success   string `json:"Success"`
}

// withJob runs fn on the job and direction a per-job legacy action names,
// with the job advanced to now. A job outside the RegionId named is not
// found.
func (s *Server) withJob(req *apiRequest, fn func(jb *job, d *direction) *apiError) *apiError {
	id, region := req.param("SynchronizationJobId"), req.param("RegionId")
	if id == "" {
		return errMissingParameter("SynchronizationJobId")
	}
	switch req.param("SynchronizationDirection") {
	case "", DirectionForward, DirectionReverse:
	default:
		return errInvalidParameter("SynchronizationDirection", "Valid values are Forward and Reverse.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	jb, ok := s.jobs[id]
	if !ok || (region != "" && region != jb.cfg.Region) {
		return s.errNotFoundLocked()
	}
	jb.advance(s.nowLocked())
	d := jb.dir(req.param("SynchronizationDirection"))
	if d == nil {
		return businessError(CodeInvalidParameter, fmt.Sprintf(
			"The Value of Input Parameter SynchronizationDirection is not valid. %s is a one-way synchronization; Reverse applies to two-way synchronization only.",
			jb.cfg.ID))
	}
	return fn(jb, d)
}

// legacyChange is a legacy Suspend or Start: change runs on the job unless
// Behavior.LegacyRefusesDtsJobs answers it as unknown.
func legacyChange(change func(*job, *direction, string, time.Time) *apiError) actionFunc {
	return func(s *Server, req *apiRequest, requestID string) (any, *apiError) {
		e := s.withJob(req, func(jb *job, d *direction) *apiError {
			if s.behavior.LegacyRefusesDtsJobs && jb.createdBy() == CreatedByDtsJob {
				return s.errNotFoundLocked()
			}
			return change(jb, d, req.action, s.nowLocked())
		})
		if e != nil {
			return nil, e
		}
		return successBody{RequestID: requestID, Success: "true"}, nil
	}
}

func (s *Server) actDescribeStatus(req *apiRequest, requestID string) (any, *apiError) {
	var out statusResponse
	e := s.withJob(req, func(jb *job, d *direction) *apiError {
		out = jb.statusResponse(d, s.nowLocked())
		return nil
	})
	if e != nil {
		return nil, e
	}
	out.RequestID, out.Success = requestID, "true"
	return out, nil
}

func (s *Server) actDescribeStatusList(req *apiRequest, requestID string) (any, *apiError) {
	raw := req.param("SynchronizationJobIdListJsonStr")
	if raw == "" {
		return nil, errMissingParameter("SynchronizationJobIdListJsonStr")
	}
	var ids []string
	if err := json.Unmarshal([]byte(raw), &ids); err != nil {
		return nil, errInvalidParameter("SynchronizationJobIdListJsonStr", "It must be a JSON array of job ID strings.")
	}
	region := req.param("RegionId")
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	out := statusListResponse{RequestID: requestID, Success: "true", PageNumber: 1, List: []jobDirections{}}
	seen := map[string]bool{}
	for _, id := range ids {
		jb, ok := s.jobs[id]
		if !ok || seen[id] || (region != "" && region != jb.cfg.Region) {
			continue
		}
		seen[id] = true
		jb.advance(now)
		out.List = append(out.List, jb.directionsResponse(now))
	}
	out.PageRecordCount, out.TotalRecordCount = len(out.List), len(out.List)
	return out, nil
}

var tagParam = regexp.MustCompile(`^Tag\.(\d+)\.(Key|Value)$`)

func (s *Server) actDescribeJobs(req *apiRequest, requestID string) (any, *apiError) {
	pageNum, e := intParam(req, "PageNum", 1, 1, 1<<30)
	if e != nil {
		return nil, e
	}
	pageSize, e := s.pageSizeParam(req, 30, false)
	if e != nil {
		return nil, e
	}
	tags, e := tagFilters(req)
	if e != nil {
		return nil, e
	}
	name := strings.ToLower(req.param("SynchronizationJobName"))
	region := req.param("RegionId")

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	var matched []*job
	for _, jb := range s.sortedJobsLocked() {
		if region != "" && jb.cfg.Region != region {
			continue
		}
		if name != "" && !strings.Contains(strings.ToLower(jb.cfg.Name), name) {
			continue
		}
		if !hasTags(jb.cfg.Tags, tags) {
			continue
		}
		matched = append(matched, jb)
	}
	out := jobsResponse{RequestID: requestID, PageNumber: pageNum, TotalRecordCount: len(matched), Items: []jobItem{}}
	from := min((pageNum-1)*pageSize, len(matched))
	to := min(from+pageSize, len(matched))
	for _, jb := range matched[from:to] {
		jb.advance(now)
		out.Items = append(out.Items, jb.listItem(now))
	}
	out.PageRecordCount = len(out.Items)
	return out, nil
}

// pageSizeParam reads PageSize as Behavior.PageSizes allows it; dtsJobs
// selects the DescribeDtsJobs list of values.
func (s *Server) pageSizeParam(req *apiRequest, def int, dtsJobs bool) (int, *apiError) {
	raw := req.param("PageSize")
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	ok, accepted := s.CurrentBehavior().pageSizeOK(n, dtsJobs)
	if err != nil || !ok {
		return 0, errInvalidParameter("PageSize", accepted)
	}
	return n, nil
}

// intParam reads an optional integer parameter within [lo, hi].
func intParam(req *apiRequest, name string, def, lo, hi int) (int, *apiError) {
	raw := req.param(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, errInvalidParameter(name, fmt.Sprintf("It must be an integer from %d to %d.", lo, hi))
	}
	return n, nil
}

// tagFilters reads Tag.N.Key / Tag.N.Value (N from 1 to 20).
func tagFilters(req *apiRequest) ([]Tag, *apiError) {
	keys, values := map[int]string{}, map[int]string{}
	for name := range req.params {
		m := tagParam.FindStringSubmatch(name)
		if m == nil {
			if strings.HasPrefix(name, "Tag.") {
				return nil, errInvalidParameter(name, "Tag parameters are Tag.N.Key and Tag.N.Value.")
			}
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > 20 {
			return nil, errInvalidParameter(name, "N must be from 1 to 20.")
		}
		if m[2] == "Key" {
			keys[n] = req.param(name)
		} else {
			values[n] = req.param(name)
		}
	}
	var tags []Tag
	for n := 1; n <= 20; n++ {
		k, hasKey := keys[n]
		v, hasValue := values[n]
		if (hasKey || hasValue) && k == "" {
			return nil, errMissingParameter(fmt.Sprintf("Tag.%d.Key", n))
		}
		if hasKey {
			tags = append(tags, Tag{Key: k, Value: v})
		}
	}
	return tags, nil
}

// hasTags: every filter's key must be on the job, with the filter's value
// when one was given.
func hasTags(have, want []Tag) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h Tag) bool { return h.Key == w.Key && (w.Value == "" || h.Value == w.Value) }) {
			return false
		}
	}
	return true
}
