package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// dtsJobIDRule says what a task ID (dts_job_id) looks like.
const dtsJobIDRule = "a DTS task ID (DtsJobId, as alicloud_dts_synchronization_job's id and the console show it): " +
	"8 to 32 lower-case letters and digits, such as l3m1213ye7lxxxx"

func validateDtsJobID(id string) error {
	if err := dtsclient.ValidateDtsJobID(id); err != nil {
		return fmt.Errorf("must be %s; %w", dtsJobIDRule, err)
	}
	return nil
}

// regionPattern matches Alibaba Cloud region IDs such as cn-hangzhou,
// ap-southeast-1 or cn-shanghai-finance-1.
var regionPattern = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)

func validateRegion(region string) error {
	if !regionPattern.MatchString(region) {
		return fmt.Errorf("%q is not an Alibaba Cloud region ID; expected lower-case words joined by hyphens, such as cn-hangzhou or ap-southeast-1", region)
	}
	return nil
}

// stringCheck is a plan-time string validator built from one check function.
type stringCheck struct {
	description string
	summary     string
	check       func(string) error
}

func (v stringCheck) Description(context.Context) string { return v.description }

func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, fmt.Sprintf("Attribute %s %s.", req.Path, err))
	}
}

func jobIDValidator() validator.String {
	return stringCheck{"value must be " + dtsclient.InstanceIDRule, "Invalid Synchronization Job ID", dtsclient.ValidateInstanceID}
}

func dtsJobIDValidator() validator.String {
	return stringCheck{"value must be " + dtsJobIDRule, "Invalid DTS Task ID", validateDtsJobID}
}

func regionValidator() validator.String {
	return stringCheck{"value must be an Alibaba Cloud region ID such as cn-hangzhou", "Invalid Region ID", validateRegion}
}

func durationValidator() validator.String {
	return stringCheck{"value must be a positive Go duration such as 30s or 1m", "Invalid Duration", func(s string) error {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			return fmt.Errorf("%q is not a positive Go duration; use a value such as 30s or 1m", s)
		}
		return nil
	}}
}

func regexSyntaxValidator() validator.String {
	return stringCheck{"value must be a valid RE2 regular expression", "Invalid Regular Expression", func(s string) error {
		if _, err := regexp.Compile(s); err != nil {
			return fmt.Errorf("%q is not a valid RE2 regular expression (Go's regexp syntax, https://github.com/google/re2/wiki/Syntax): %s", s, err)
		}
		return nil
	}}
}

// suspendingHintValidator explains that "Suspending", the API's word for a
// paused job, is written "Suspended" here.
func suspendingHintValidator() validator.String {
	return stringCheck{`"Suspending" is accepted by DTS but written "Suspended" here`, `Use "Suspended" for a Paused Job`, func(s string) error {
		if s == "Suspending" {
			return fmt.Errorf(`is "Suspending", the DTS API's word for a paused job (also in the official alicloud provider's status argument). ` +
				`This resource declares the desired state, so write state = "Suspended"; the raw API value appears in the computed status attribute`)
		}
		return nil
	}}
}
