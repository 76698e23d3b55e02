package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

func diagsMention(diags diag.Diagnostics, text string) bool {
	for _, d := range diags {
		if strings.Contains(d.Summary()+" "+d.Detail(), text) {
			return true
		}
	}
	return false
}

func diagsHavePath(diags diag.Diagnostics, p string) bool {
	for _, d := range diags {
		if wp, ok := d.(diag.DiagnosticWithPath); ok && wp.Path().String() == p {
			return true
		}
	}
	return false
}
