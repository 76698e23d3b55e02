package provider

import (
	"fmt"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
)

// credentialSource names where the credentials come from, for logs and errors.
type credentialSource string

const (
	sourceStaticKeys   credentialSource = "access key"
	sourceSTS          credentialSource = "STS token"
	sourceProfile      credentialSource = "aliyun CLI profile"
	sourceDefaultChain credentialSource = "default credential chain"
)

// missingCredentialsHelp lists every way to supply credentials.
const missingCredentialsHelp = `No Alibaba Cloud credentials could be found. Supply them in one of these ways:
  - access_key and secret_key (and security_token for STS) in the provider block;
  - the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY) environment variables, with ALIBABA_CLOUD_SECURITY_TOKEN for STS;
  - profile (or ALIBABA_CLOUD_PROFILE / ALICLOUD_PROFILE) naming a profile of the aliyun CLI configuration (shared_credentials_file, default ~/.aliyun/config.json);
  - ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials.ini, OIDC (ALIBABA_CLOUD_OIDC_*), or an ECS instance RAM role;
  - optionally an assume_role block to act as a RAM role with any of the above.`

// buildCredential turns the settings into a credentials-go credential. It
// makes no network call: STS and metadata lookups happen at the first request.
func buildCredential(s *settings) (credentials.Credential, credentialSource, error) {
	var (
		base   providers.CredentialsProvider
		source credentialSource
		err    error
	)
	switch {
	case s.AccessKey != "" && s.SecurityToken != "":
		source = sourceSTS
		base, err = providers.NewStaticSTSCredentialsProviderBuilder().
			WithAccessKeyId(s.AccessKey).
			WithAccessKeySecret(s.SecretKey).
			WithSecurityToken(s.SecurityToken).
			Build()
	case s.AccessKey != "":
		source = sourceStaticKeys
		base, err = providers.NewStaticAKCredentialsProviderBuilder().
			WithAccessKeyId(s.AccessKey).
			WithAccessKeySecret(s.SecretKey).
			Build()
	case s.Profile != "" || s.SharedCredentialsFile != "":
		source = sourceProfile
		base, err = providers.NewCLIProfileCredentialsProviderBuilder().
			WithProfileName(s.Profile).
			WithProfileFile(s.SharedCredentialsFile).
			Build()
	default:
		source = sourceDefaultChain
		base = providers.NewDefaultCredentialsProvider()
	}
	if err != nil {
		return nil, source, fmt.Errorf("unable to use the %s: %w", source, err)
	}

	name := string(source)
	if ar := s.AssumeRole; ar != nil {
		b := providers.NewRAMRoleARNCredentialsProviderBuilder().
			WithCredentialsProvider(base).
			WithRoleArn(ar.RoleARN).
			WithRoleSessionName(ar.SessionName).
			WithExternalId(ar.ExternalID).
			WithPolicy(ar.Policy)
		if ar.SessionExpiration > 0 {
			b = b.WithDurationSeconds(ar.SessionExpiration)
		}
		if s.Region != "" {
			b = b.WithStsRegionId(s.Region)
		}
		role, rerr := b.Build()
		if rerr != nil {
			return nil, source, fmt.Errorf("unable to assume role %q: %w", ar.RoleARN, rerr)
		}
		base, name = role, name+" + assume_role"
	}
	return &explainedCredential{Credential: credentials.FromCredentialsProvider(name, base), source: source}, source, nil
}

// explainedCredential adds the ways to supply credentials to the error of an
// empty default chain, so the user learns what to do rather than which
// provider in the chain failed last.
type explainedCredential struct {
	credentials.Credential
	source credentialSource
}

func (c *explainedCredential) GetCredential() (*credentials.CredentialModel, error) {
	m, err := c.Credential.GetCredential()
	if err != nil {
		if c.source == sourceDefaultChain {
			return nil, fmt.Errorf("%s\n(the default chain said: %v)", missingCredentialsHelp, err)
		}
		return nil, fmt.Errorf("unable to obtain credentials from the %s: %w", c.source, err)
	}
	return m, nil
}
