package provider

import (
	"fmt"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
)

// credentialSource names where the credentials come from, for logs and errors.
type credentialSource string

const (
	sourceStaticKeys   credentialSource = "access key"
	sourceSTS          credentialSource = "STS credentials"
	sourceProfile      credentialSource = "aliyun CLI profile"
	sourceECSRole      credentialSource = "ECS RAM role"
	sourceDefaultChain credentialSource = "default credential chain"
)

// missingCredentialsHelp lists every way to supply credentials.
const missingCredentialsHelp = `No Alibaba Cloud credentials could be found. Supply them in one of these ways:
  - access_key and secret_key (and security_token for STS) in the provider block;
  - the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY) environment variables, with ALIBABA_CLOUD_SECURITY_TOKEN (or ALICLOUD_SECURITY_TOKEN) for STS;
  - profile (or ALIBABA_CLOUD_PROFILE / ALICLOUD_PROFILE) naming a profile of the aliyun CLI configuration (shared_credentials_file or ALICLOUD_SHARED_CREDENTIALS_FILE, default ~/.aliyun/config.json);
  - ecs_role_name (or ALICLOUD_ECS_ROLE_NAME) on an ECS instance with that RAM role attached;
  - ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials.ini, OIDC (ALIBABA_CLOUD_OIDC_*), or the RAM role of the ECS instance;
  - optionally an assume_role block (or ALICLOUD_ASSUME_ROLE_ARN) to act as a RAM role with any of the above.`

// buildCredential turns the settings into one credential shared by every
// client of the provider. It makes no network call: STS and metadata lookups
// happen at the first request.
func buildCredential(s *settings) (credentials.Credential, credentialSource, error) {
	source, name := chooseSource(s)
	build := func() (credentials.Credential, error) { return newSourceCredential(s, source, name) }
	inner, err := build()
	if err != nil {
		return nil, source, err
	}
	if s.AssumeRole != nil {
		name = fmt.Sprintf("%s, assuming role %q", name, s.AssumeRole.RoleARN)
	}
	return &sharedCredential{inner: inner, source: source, name: name, rebuild: build}, source, nil
}

// chooseSource picks where the credentials come from, in the documented order.
func chooseSource(s *settings) (credentialSource, string) {
	switch {
	case s.AccessKey != "" && s.SecurityToken != "":
		return sourceSTS, string(sourceSTS)
	case s.AccessKey != "":
		return sourceStaticKeys, string(sourceStaticKeys)
	case s.Profile != "" || s.SharedCredentialsFile != "":
		name := string(sourceProfile)
		if s.Profile != "" {
			name += fmt.Sprintf(" %q", s.Profile)
		}
		if s.SharedCredentialsFile != "" {
			name += " in " + s.SharedCredentialsFile
		}
		return sourceProfile, name
	case s.ECSRoleName != "":
		return sourceECSRole, fmt.Sprintf("%s %q", sourceECSRole, s.ECSRoleName)
	}
	return sourceDefaultChain, string(sourceDefaultChain)
}

// newSourceCredential builds the credentials-go provider of the source,
// wrapped in the RAM role provider when a role is to be assumed.
func newSourceCredential(s *settings, source credentialSource, name string) (credentials.Credential, error) {
	var (
		base providers.CredentialsProvider
		err  error
	)
	switch source {
	case sourceSTS:
		base, err = providers.NewStaticSTSCredentialsProviderBuilder().
			WithAccessKeyId(s.AccessKey).
			WithAccessKeySecret(s.SecretKey).
			WithSecurityToken(s.SecurityToken).
			Build()
	case sourceStaticKeys:
		base, err = providers.NewStaticAKCredentialsProviderBuilder().
			WithAccessKeyId(s.AccessKey).
			WithAccessKeySecret(s.SecretKey).
			Build()
	case sourceProfile:
		base, err = providers.NewCLIProfileCredentialsProviderBuilder().
			WithProfileName(s.Profile).
			WithProfileFile(s.SharedCredentialsFile).
			Build()
	case sourceECSRole:
		base, err = providers.NewECSRAMRoleCredentialsProviderBuilder().
			WithRoleName(s.ECSRoleName).
			Build()
	default:
		base = providers.NewDefaultCredentialsProvider()
	}
	if err != nil {
		return nil, describeCredentialFailure(source, name, err)
	}

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
		switch {
		case s.STSEndpoint != "":
			b = b.WithStsEndpoint(s.STSEndpoint)
		case s.Region != "":
			b = b.WithStsRegionId(s.Region)
		}
		role, rerr := b.Build()
		if rerr != nil {
			return nil, describeCredentialFailure(source, fmt.Sprintf("%s, assuming role %q", name, ar.RoleARN), rerr)
		}
		base = role
	}
	return credentials.FromCredentialsProvider(string(source), base), nil
}

// sharedCredential is the one credential every goroutine of a provider
// instance signs with. credentials-go's providers update their caches without
// locks: without this one, each goroutine that found a role session near
// expiry would assume the role again, and a request could pair one session's
// AccessKeyId with the next session's token. Each answer is one snapshot.
// Its errors never quote credentials-go, whose errors can carry the secrets
// a source read (see describeCredentialFailure).
type sharedCredential struct {
	mu     sync.Mutex
	inner  credentials.Credential
	source credentialSource
	name   string
	// rebuild makes a new inner credential. The default chain needs it: once
	// every source failed, credentials-go keeps asking only the last one.
	rebuild func() (credentials.Credential, error)
}

var _ credentials.Credential = (*sharedCredential)(nil)

func (c *sharedCredential) GetCredential() (*credentials.CredentialModel, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, err := c.inner.GetCredential()
	if err != nil {
		described := describeCredentialFailure(c.source, c.name, err)
		if c.source == sourceDefaultChain && strings.HasPrefix(err.Error(), chainExhausted) {
			if fresh, rerr := c.rebuild(); rerr == nil {
				c.inner = fresh
			}
		}
		return nil, described
	}
	return m, nil
}

// snapshot serves credentials-go's deprecated accessors, each from one snapshot.
func (c *sharedCredential) snapshot(field func(*credentials.CredentialModel) *string) (*string, error) {
	m, err := c.GetCredential()
	if err != nil {
		return nil, err
	}
	return field(m), nil
}

func (c *sharedCredential) GetAccessKeyId() (*string, error) {
	return c.snapshot(func(m *credentials.CredentialModel) *string { return m.AccessKeyId })
}

func (c *sharedCredential) GetAccessKeySecret() (*string, error) {
	return c.snapshot(func(m *credentials.CredentialModel) *string { return m.AccessKeySecret })
}

func (c *sharedCredential) GetSecurityToken() (*string, error) {
	return c.snapshot(func(m *credentials.CredentialModel) *string { return m.SecurityToken })
}

func (c *sharedCredential) GetBearerToken() *string { return c.inner.GetBearerToken() }

func (c *sharedCredential) GetType() *string { return c.inner.GetType() }
