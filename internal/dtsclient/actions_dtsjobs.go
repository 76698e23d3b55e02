package dtsclient

import (
	"cmp"
	"context"
	"encoding/json"
	"strconv"
	"strings"
)

// DefaultDtsJobsPageSize is the DescribeDtsJobs page size used when none is
// given: the largest DTS accepts (20, 30, 50 or 100), so a region of
// synchronization jobs costs as few calls as possible.
const DefaultDtsJobsPageSize = 100

// ListDtsJobsInput filters DescribeDtsJobs; JobType is always SYNC.
type ListDtsJobsInput struct {
	// RegionID is sent as Region (the doc marks it required) and RegionId
	// (deprecated, but what the alicloud provider sends).
	RegionID   string
	DtsJobID   string // Task ID filter.
	InstanceID string // dts… instance ID filter (DtsInstanceId).
	Name       string // Sent as Type=name, Params=<Name>.
	Tags       []Tag  // Sent as the JSON string Tags=[{"key":…,"value":…}].
	PageSize   int    // 0 means DefaultDtsJobsPageSize.
	PageNumber int    // 0 means 1.
	// NewestFirst orders by CreateTime, newest first, as
	// DescribeSynchronizationJobs does; DTS's default is oldest first.
	NewestFirst bool
}

// DescribeDtsJobs reads one page of synchronization jobs through the
// maintained family. Each item's Directions holds the job and its ReverseJob;
// Delay is seconds here and Checkpoint a string, both normalised.
func (c *Client) DescribeDtsJobs(ctx context.Context, in ListDtsJobsInput) (*ListJobsPage, error) {
	region := strings.TrimSpace(in.RegionID)
	m := callMeta{action: "DescribeDtsJobs", regionID: region, jobID: cmp.Or(strings.TrimSpace(in.DtsJobID), strings.TrimSpace(in.InstanceID))}
	params := []param{
		{"JobType", "SYNC"},
		{"PageNumber", strconv.Itoa(positiveOr(in.PageNumber, 1))},
		{"PageSize", strconv.Itoa(positiveOr(in.PageSize, DefaultDtsJobsPageSize))},
		// The DbObject of every job is large and unused here.
		{"WithoutDbList", "true"},
	}
	if region != "" {
		params = append(params, param{"Region", region}, param{"RegionId", region})
	}
	if in.NewestFirst {
		params = append(params, param{"OrderColumn", "CreateTime"}, param{"OrderDirection", "DESC"})
	}
	if id := strings.TrimSpace(in.DtsJobID); id != "" {
		params = append(params, param{"DtsJobId", id})
	}
	if id := strings.TrimSpace(in.InstanceID); id != "" {
		params = append(params, param{"DtsInstanceId", id})
	}
	if name := strings.TrimSpace(in.Name); name != "" {
		params = append(params, param{"Type", "name"}, param{"Params", name})
	}
	if len(in.Tags) > 0 {
		type tag struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		}
		tags := make([]tag, 0, len(in.Tags))
		for i, t := range in.Tags {
			if t.Key == "" {
				return nil, m.invalid("tag %d has an empty key", i+1)
			}
			tags = append(tags, tag(t))
		}
		b, err := json.Marshal(tags)
		if err != nil {
			return nil, m.fail(&APIError{Err: err})
		}
		params = append(params, param{"Tags", string(b)})
	}
	out, err := invoke[wireDtsJobList](ctx, c, m, params)
	if err != nil {
		return nil, err
	}
	return out.model(), nil
}

// ListAllDtsJobs reads every page of DescribeDtsJobs from in.PageNumber, with
// the same end rules as ListAllSynchronizationJobs.
func (c *Client) ListAllDtsJobs(ctx context.Context, in ListDtsJobsInput) ([]JobSummary, error) {
	in.PageSize = positiveOr(in.PageSize, DefaultDtsJobsPageSize)
	return listAll(in.PageNumber, in.PageSize, func(pageNumber int) (*ListJobsPage, error) {
		in.PageNumber = pageNumber
		return c.DescribeDtsJobs(ctx, in)
	})
}
