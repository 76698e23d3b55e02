package provider

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseImportID(t *testing.T) {
	t.Parallel()
	valid := map[string]importID{
		"dtsmr1q4mc2152xxxx":                        {JobID: "dtsmr1q4mc2152xxxx", Direction: "Forward"},
		"dtsmr1q4mc2152xxxx:Reverse":                {JobID: "dtsmr1q4mc2152xxxx", Direction: "Reverse"},
		"dtsmr1q4mc2152xxxx:Forward":                {JobID: "dtsmr1q4mc2152xxxx", Direction: "Forward"},
		"cn-hangzhou/dtsmr1q4mc2152xxxx":            {Region: "cn-hangzhou", JobID: "dtsmr1q4mc2152xxxx", Direction: "Forward"},
		"ap-southeast-1/dtsmr1q4mc2152xxxx:Reverse": {Region: "ap-southeast-1", JobID: "dtsmr1q4mc2152xxxx", Direction: "Reverse"},
		// Spaces around the whole ID, as a copy from the console brings them.
		" dtsmr1q4mc2152xxxx:Reverse\n":     {JobID: "dtsmr1q4mc2152xxxx", Direction: "Reverse"},
		"\tcn-hangzhou/dtsmr1q4mc2152xxxx ": {Region: "cn-hangzhou", JobID: "dtsmr1q4mc2152xxxx", Direction: "Forward"},
		// The task ID (dts_job_id), in every form.
		"mr1q4mc2152xxxx":                     {TaskID: "mr1q4mc2152xxxx", Direction: "Forward"},
		"cn-hangzhou/mr1q4mc2152xxxx:Reverse": {Region: "cn-hangzhou", TaskID: "mr1q4mc2152xxxx", Direction: "Reverse"},
		"l3m1213ye7lxxxx:Forward":             {TaskID: "l3m1213ye7lxxxx", Direction: "Forward"},
		// Instance-ID-shaped stays an instance ID, also in upper case as before.
		"dtsABC": {JobID: "dtsABC", Direction: "Forward"},
	}
	for raw, want := range valid {
		got, err := parseImportID(raw)
		if err != nil {
			t.Errorf("parseImportID(%q): %v", raw, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("parseImportID(%q) (-want +got):\n%s", raw, diff)
		}
	}

	invalid := map[string]string{
		"":                             "job ID",
		" ":                            "job ID",
		"dtsabc :Forward":              "job ID",
		"cn-hangzhou/ dtsabc":          "job ID",
		"dtsabc:reverse":               "the case matters",
		"dtsabc:Sideways":              "Sideways",
		"dtsabc:":                      `direction ""`,
		"dts abc":                      "job ID",
		"CN_Hangzhou/dtsabc":           "region ID",
		"cn-hangzhou/":                 "job ID",
		"cn-hangzhou/dtsabc:Forward:x": "direction",
		"cn-hangzhou/dts/abc":          "job ID",
	}
	for raw, why := range invalid {
		_, err := parseImportID(raw)
		if err == nil {
			t.Errorf("parseImportID(%q) accepted a malformed ID", raw)
			continue
		}
		for _, want := range []string{why, "<job_id>:<direction>", "<region_id>/<job_id>"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("parseImportID(%q) error %q does not mention %q", raw, err, want)
			}
		}
	}
}
