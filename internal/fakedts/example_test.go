package fakedts_test

import (
	"fmt"
	"log"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// Example suspends a default job and reads its status back through the
// real, signing darabonba-openapi client (the runtime of the DTS Go SDK).
func Example() {
	s := fakedts.New(fakedts.Options{Jobs: fakedts.DefaultJobs()})
	if err := s.Start("127.0.0.1:0"); err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	key := fakedts.DefaultCredential()
	cred, err := credentials.NewCredential(&credentials.Config{
		Type:            dara.String("access_key"),
		AccessKeyId:     dara.String(key.AccessKeyID),
		AccessKeySecret: dara.String(key.AccessKeySecret),
	})
	if err != nil {
		log.Fatal(err)
	}
	client, err := openapi.NewClient(&openapi.Config{
		Credential: cred,
		Endpoint:   dara.String(s.Endpoint()), // host:port
		Protocol:   dara.String("HTTP"),
		// SignatureAlgorithm: dara.String("v2"), // to sign with V1 instead of V3
	})
	if err != nil {
		log.Fatal(err)
	}
	call := func(action string) map[string]any {
		res, err := client.CallApi(&openapi.Params{
			Action: dara.String(action), Version: dara.String("2020-01-01"), Protocol: dara.String("HTTP"),
			Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
			Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
		}, &openapi.OpenApiRequest{Query: map[string]*string{
			"SynchronizationJobId": dara.String(fakedts.DefaultOrdersJobID),
			"RegionId":             dara.String("cn-hangzhou"),
		}}, &dara.RuntimeOptions{})
		if err != nil {
			log.Fatal(err)
		}
		return res["body"].(map[string]any)
	}
	fmt.Println("Success:", call("SuspendSynchronizationJob")["Success"])
	fmt.Println("Status:", call("DescribeSynchronizationJobStatus")["Status"])
	// Output:
	// Success: true
	// Status: Suspending
}
