package provider

import "testing"

func TestProviderDataFrom(t *testing.T) {
	t.Parallel()
	if pd, diags := providerDataFrom(nil, "Resource"); pd != nil || diags.HasError() {
		t.Errorf("nil data: got %v, %v; want nil and no error (the provider is not configured yet)", pd, diags)
	}
	want := &providerData{}
	if pd, diags := providerDataFrom(want, "Resource"); pd != want || diags.HasError() {
		t.Errorf("provider data: got %v, %v; want the same pointer", pd, diags)
	}
	_, diags := providerDataFrom("not provider data", "Data Source")
	if !diags.HasError() || diags[0].Summary() != "Unexpected Data Source Configure Type" || !diagsMention(diags, "got: string") {
		t.Errorf("wrong type: got %v, want an error naming the kind and the type", diags)
	}
}
