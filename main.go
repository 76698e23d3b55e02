package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/dts-provider/terraform-provider-dts/internal/provider"
)

// Run "go generate" to format example Terraform files and render the docs.
//go:generate ./scripts/generate-docs.sh

// version is set by goreleaser through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool

	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()
	quietSDKLogs()

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/dts-provider/dts",
		Debug:   debug,
	}

	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}

// quietSDKLogs turns the plugin SDK's own trace logs off when nobody asked
// for Terraform logs: the provider would write several lines per RPC that
// Terraform parses and then discards, about a fifth of a large plan's time
// (BENCHMARKS.md). Any TF_LOG* setting leaves logging as configured.
func quietSDKLogs() {
	sdkLogs := []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
	for _, name := range append([]string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH"}, sdkLogs...) {
		if os.Getenv(name) != "" {
			return
		}
	}
	for _, name := range sdkLogs {
		_ = os.Setenv(name, "off")
	}
}
