package dtsclient

import (
	"cmp"
	"context"
	"encoding/json"
	"strconv"
	"strings"
)

// DefaultPageSize is the DescribeSynchronizationJobs page size used when none is given.
const DefaultPageSize = 30

// maxPages stops ListAllSynchronizationJobs if a server keeps answering full pages.
const maxPages = 10000

// DescribeSynchronizationJobStatusList reads the per-direction statuses of jobs,
// sending SynchronizationJobIdListJsonStr as a JSON array string.
func (c *Client) DescribeSynchronizationJobStatusList(ctx context.Context, regionID string, jobIDs []string) ([]JobDirections, error) {
	ids := make([]string, 0, len(jobIDs))
	for _, id := range jobIDs {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	m := callMeta{action: "DescribeSynchronizationJobStatusList", jobID: strings.Join(ids, ","), regionID: strings.TrimSpace(regionID)}
	if len(ids) == 0 {
		return nil, m.invalid("at least one job ID is required")
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, m.fail(&APIError{Err: err})
	}
	params := []param{{"SynchronizationJobIdListJsonStr", string(list)}}
	if m.regionID != "" {
		params = append(params, param{"RegionId", m.regionID})
	}
	out, err := invoke[wireStatusList](ctx, c, m, params)
	if err != nil {
		return nil, err
	}
	return out.model(), nil
}

// DescribeSynchronizationJobs reads one page of jobs; tags are sent as Tag.N.Key
// and Tag.N.Value, 1-based.
func (c *Client) DescribeSynchronizationJobs(ctx context.Context, in ListJobsInput) (*ListJobsPage, error) {
	m := callMeta{action: "DescribeSynchronizationJobs", regionID: strings.TrimSpace(in.RegionID)}
	params := []param{
		{"PageNum", strconv.Itoa(positiveOr(in.PageNumber, 1))},
		{"PageSize", strconv.Itoa(positiveOr(in.PageSize, DefaultPageSize))},
	}
	if m.regionID != "" {
		params = append(params, param{"RegionId", m.regionID})
	}
	if name := strings.TrimSpace(in.Name); name != "" {
		params = append(params, param{"SynchronizationJobName", name})
	}
	for i, t := range in.Tags {
		if t.Key == "" {
			return nil, m.invalid("tag %d has an empty key", i+1)
		}
		n := strconv.Itoa(i + 1)
		params = append(params, param{"Tag." + n + ".Key", t.Key})
		if t.Value != "" {
			params = append(params, param{"Tag." + n + ".Value", t.Value})
		}
	}
	out, err := invoke[wireJobList](ctx, c, m, params)
	if err != nil {
		return nil, err
	}
	return out.model(), nil
}

// ListAllSynchronizationJobs reads pages from in.PageNumber until TotalRecordCount
// jobs are read. An empty or repeated page ends it early, and so does a short page
// when DTS reports no TotalRecordCount.
func (c *Client) ListAllSynchronizationJobs(ctx context.Context, in ListJobsInput) ([]JobSummary, error) {
	in.PageSize = positiveOr(in.PageSize, DefaultPageSize)
	return listAll(in.PageNumber, in.PageSize, func(pageNumber int) (*ListJobsPage, error) {
		in.PageNumber = pageNumber
		return c.DescribeSynchronizationJobs(ctx, in)
	})
}

// listAll reads pages from pageNumber (0 means 1) with fetch by the end
// rules of PageThrough and returns every job.
func listAll(pageNumber, pageSize int, fetch func(pageNumber int) (*ListJobsPage, error)) ([]JobSummary, error) {
	var all []JobSummary
	err := PageThrough(pageNumber, pageSize, fetch, func(jobs []JobSummary) (bool, error) {
		all = append(all, jobs...)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// PageThrough reads pages from pageNumber (0 means 1) with fetch and passes
// each page's jobs to each, until each returns false or an error, or the
// jobs run out: TotalRecordCount jobs read, an empty or repeated page (a
// DTS that ignores PageNumber), or, without a TotalRecordCount, a page
// shorter than pageSize. It is the one place of those end rules.
func PageThrough(pageNumber, pageSize int, fetch func(pageNumber int) (*ListJobsPage, error),
	each func([]JobSummary) (bool, error)) error {
	pageNumber = positiveOr(pageNumber, 1)
	read, prevFirst := 0, ""
	for range maxPages {
		page, err := fetch(pageNumber)
		if err != nil {
			return err
		}
		if len(page.Jobs) == 0 {
			return nil
		}
		first := cmp.Or(page.Jobs[0].JobID, page.Jobs[0].DtsJobID)
		if first != "" && first == prevFirst {
			return nil
		}
		read += len(page.Jobs)
		if more, err := each(page.Jobs); err != nil || !more {
			return err
		}
		if page.TotalRecordCount > 0 && read >= page.TotalRecordCount {
			return nil
		}
		if page.TotalRecordCount <= 0 && len(page.Jobs) < pageSize {
			return nil
		}
		prevFirst = first
		pageNumber++
	}
	return nil
}
