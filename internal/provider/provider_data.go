package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// providerData is what Configure hands to resources and data sources: the
// resolved settings and one API client per DTS host.
type providerData struct {
	settings   *settings
	credential credentials.Credential
	userAgent  string

	mu      sync.Mutex
	clients map[string]*dtsclient.Client // by protocol://host
	pacer   *dtsclient.Pacer             // paces every client's calls per region and action class

	// jobs reads and changes jobs in the family the api argument chooses.
	jobs jobAPI
	// shared is jobs with the reads that refreshes, waits and create plans share.
	shared *sharedJobs
	// walkID is new with every Configure, that is with every Terraform walk
	// (plan, apply, refresh); see planWalkKey.
	walkID string
}

func newProviderData(ctx context.Context, s *settings, version string) (*providerData, error) {
	cred, source, err := buildCredential(s)
	if err != nil {
		return nil, err
	}
	tflog.Debug(ctx, "DTS provider configured", map[string]any{
		"credential_source":   string(source),
		"region":              s.Region,
		"endpoint_override":   s.Endpoint,
		"max_retries":         s.MaxRetries,
		"signature_algorithm": s.SignatureAlgorithm,
		"api":                 s.API,
	})
	walk := make([]byte, 8)
	_, _ = rand.Read(walk)
	d := &providerData{
		settings:   s,
		credential: cred,
		userAgent:  "terraform-provider-dts/" + version,
		clients:    map[string]*dtsclient.Client{},
		pacer:      dtsclient.NewPacer(),
		walkID:     hex.EncodeToString(walk),
	}
	d.jobs = newFamilyJobs(s.API, d.client)
	d.shared = newSharedJobs(d.jobs, !s.DisableBatchStatusReads)
	return d, nil
}

// resolveRegion is the one rule for the region a resource or data source
// acts in: its own region_id when set, else the provider's region. With an
// endpoint override and no region anywhere the region is "" (the endpoint
// serves every region). While region_id is unknown (it comes from a resource
// not created yet) there is no region: plan-time reads are skipped then, and
// Terraform never applies or reads with an unknown value.
func (d *providerData) resolveRegion(regionID types.String) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case regionID.IsUnknown():
		diags.AddAttributeError(path.Root("region_id"), "Region Not Known Yet",
			"region_id was unknown where the provider needed it. This is always a bug in the provider, please report it.")
		return "", diags
	case regionID.ValueString() != "":
		return regionID.ValueString(), diags
	case d.settings.Region != "", d.settings.Endpoint != "":
		return d.settings.Region, diags
	}
	diags.Append(missingRegionDiag(path.Root("region_id")))
	return "", diags
}

// client returns the API client for a region, creating it on first use. An
// endpoint override serves every region from one host.
func (d *providerData) client(region string) (*dtsclient.Client, error) {
	host, protocol := d.settings.Endpoint, d.settings.Protocol
	if host == "" {
		// resolveRegion has rejected a missing region already.
		host, protocol = dtsclient.EndpointForRegion(region), "https"
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	key := protocol + "://" + host
	if c, ok := d.clients[key]; ok {
		return c, nil
	}
	c, err := dtsclient.New(dtsclient.Config{
		Endpoint:           host,
		Protocol:           protocol,
		Credential:         d.credential,
		SignatureAlgorithm: d.settings.SignatureAlgorithm,
		MaxRetries:         d.settings.MaxRetries,
		RequestTimeout:     d.settings.RequestTimeout,
		UserAgent:          d.userAgent,
		Logger:             tflogLogger,
		Pacer:              d.pacer,
	})
	if err != nil {
		return nil, fmt.Errorf("unable to create the DTS client for %s: %w", key, err)
	}
	d.clients[key] = c
	return c, nil
}

var tflogLevels = map[string]func(context.Context, string, ...map[string]any){
	"trace": tflog.Trace, "info": tflog.Info, "warn": tflog.Warn, "error": tflog.Error,
}

// tflogLogger bridges the client's log calls into the provider's tflog logs.
func tflogLogger(ctx context.Context, level, msg string, fields map[string]any) {
	if log, ok := tflogLevels[level]; ok {
		log(ctx, msg, fields)
	} else {
		tflog.Debug(ctx, msg, fields)
	}
}

// providerDataFrom takes the data Configure handed over. It returns nil
// without error before the provider is configured (nil data).
func providerDataFrom(data any, kind string) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		return nil, diags
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected "+kind+" Configure Type",
			fmt.Sprintf("Expected *providerData, got: %T. This is always a bug in the provider, please report it.", data))
	}
	return pd, diags
}
