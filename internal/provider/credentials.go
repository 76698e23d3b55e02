package provider

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
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

// describeCredentialFailure turns an error of credentials-go into one that
// says which source failed, which file or service, and the kind of failure.
// It never returns credentials-go's text: that text can hold what the source
// read, such as the whole aliyun CLI configuration when it is not valid JSON,
// or an STS answer that echoes the request. Only the file's path, a profile
// name and codes checked to be identifiers are taken from it.
func describeCredentialFailure(source credentialSource, name string, err error) error {
	ce := &dtsclient.CredentialError{Source: name}
	var ue *url.Error
	switch msg := err.Error(); {
	case errors.As(err, &ue):
		// STS, OIDC or the metadata service could not be reached; the URL
		// carries the signed query, so only its host is named.
		ce.Problem = fmt.Sprintf("could not reach %s: %s", urlHost(ue.URL), dtsclient.Redact(ue.Err.Error()))
		ce.Transient = true
	case source == sourceDefaultChain && strings.HasPrefix(msg, chainExhausted):
		ce.Problem = missingCredentialsHelp
		if findings := chainFindings(msg); findings != "" {
			ce.Problem += "\n" + findings
		}
	default:
		ce.Problem, ce.Transient = describeCredentialsGoMessage(msg)
	}
	return ce
}

// chainFindings reports what the default chain found broken, as opposed to
// absent: a user with a malformed ~/.aliyun/config.json must learn that the
// file is why no credentials were found.
func chainFindings(msg string) string {
	var found []string
	for _, marker := range []string{cliConfigNotJSON, cliConfigNoProfiles, cliConfigNoProfile, cliConfigMode, stsRefused, oidcRefused} {
		if i := strings.Index(msg, marker); i >= 0 {
			problem, _ := describeCredentialsGoMessage(msg[i:])
			found = append(found, "The default chain found a source it could not use: "+problem+".")
		}
	}
	return strings.Join(found, "\n")
}

// The beginnings of credentials-go's error messages (v1.4).
const (
	chainExhausted      = "unable to get credentials from any of the providers in the chain"
	cliConfigNotJSON    = "unmarshal aliyun cli config from '"
	cliConfigUnreadable = "reading aliyun cli config from '"
	cliConfigNoProfiles = "no any configured profiles in '"
	cliConfigNoProfile  = "unable to get profile with '"
	cliConfigMode       = "unsupported profile mode '"
	cliSourceProfile    = "get source profile failed: "
	stsRefused          = "refresh session token failed: "
	stsUnusable         = "refresh RoleArn sts token err"
	oidcRefused         = "get session token failed: "
	oidcUnusable        = "get oidc sts token err"
	iniPrefix           = "ERROR: "
	envMissing          = "unable to get credentials from enviroment variables" //nolint:misspell // credentials-go's spelling
)

var metadataFailure = regexp.MustCompile(`^(?:get role name failed|refresh Ecs sts token err|get metadata token failed)`)

// safeMessages are credentials-go errors that interpolate nothing.
var safeMessages = []string{
	"the access key id is empty", "the access key secret is empty", "the security token is empty",
	"the RoleArn is empty", "the CLI profile is disabled", "IMDS credentials is disabled", "cannot found home dir",
	"session duration should be in the range of 900s - max session duration",
	"must specify a previous credentials provider to assume role",
	"the OIDCTokenFilePath is empty", "the OIDCProviderARN is empty",
	"invalid site type, support CN or INTL",
}

// describeCredentialsGoMessage describes one credentials-go message and says
// whether another attempt may succeed.
func describeCredentialsGoMessage(msg string) (string, bool) {
	switch {
	case strings.HasPrefix(msg, cliConfigNotJSON):
		path := quotedPrefix(msg[len(cliConfigNotJSON):])
		return fmt.Sprintf("the aliyun CLI configuration %s is not valid JSON%s; fix it (`aliyun configure` rewrites it) or point shared_credentials_file at another file",
			path, jsonProblem(path)), false
	case strings.HasPrefix(msg, cliConfigUnreadable):
		path := quotedPrefix(msg[len(cliConfigUnreadable):])
		return fmt.Sprintf("the aliyun CLI configuration %s cannot be read (%s)", path, fileProblem(path)), false
	case strings.HasPrefix(msg, cliConfigNoProfiles):
		return fmt.Sprintf("the aliyun CLI configuration %s has no profiles", quotedPrefix(msg[len(cliConfigNoProfiles):])), false
	case strings.HasPrefix(msg, cliConfigNoProfile):
		return fmt.Sprintf("the aliyun CLI configuration has no profile named %q", quotedPrefix(msg[len(cliConfigNoProfile):])), false
	case strings.HasPrefix(msg, cliConfigMode):
		return fmt.Sprintf("the profile's mode %q is not one credentials-go supports", identifier(quotedPrefix(msg[len(cliConfigMode):]))), false
	case strings.HasPrefix(msg, cliSourceProfile):
		problem, transient := describeCredentialsGoMessage(msg[len(cliSourceProfile):])
		return "its source_profile failed: " + problem, transient
	case strings.HasPrefix(msg, stsRefused):
		return stsRefusal("AssumeRole", msg[len(stsRefused):])
	case strings.HasPrefix(msg, stsUnusable):
		return "STS answered AssumeRole without credentials the provider could read", false
	case strings.HasPrefix(msg, oidcRefused):
		return stsRefusal("AssumeRoleWithOIDC", msg[len(oidcRefused):])
	case strings.HasPrefix(msg, oidcUnusable):
		return "STS answered AssumeRoleWithOIDC without credentials the provider could read", false
	case metadataFailure.MatchString(msg):
		return "the ECS instance metadata service (100.100.100.200) gave no credentials: the provider is not running on an ECS instance, " +
			"or the instance has no RAM role of that name attached", false
	case strings.HasPrefix(msg, iniPrefix):
		return "the credentials file (ALIBABA_CLOUD_CREDENTIALS_FILE, default ~/.alibabacloud/credentials.ini) cannot be opened or has no usable profile", false
	case strings.HasPrefix(msg, "parsing time "):
		return "STS answered with an expiration time the provider could not read", false
	case strings.HasPrefix(msg, envMissing):
		return "the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables are not both set", false
	}
	if slices.Contains(safeMessages, msg) {
		return msg, false
	}
	return "credentials-go failed with an error the provider does not show, because such errors can quote the secrets a source read", false
}

// stsRefusal describes an STS error answer by its code and request ID only:
// its message can echo the signed request.
func stsRefusal(action, body string) (string, bool) {
	var answer struct {
		Code      string `json:"Code" xml:"Code"`
		RequestID string `json:"RequestId" xml:"RequestId"`
	}
	// A decoder reads the first value only: in the default chain's message
	// the answer is followed by the other sources' errors.
	b := bytes.TrimSpace([]byte(body))
	if json.NewDecoder(bytes.NewReader(b)).Decode(&answer) != nil && xml.NewDecoder(bytes.NewReader(b)).Decode(&answer) != nil ||
		identifier(answer.Code) == "" {
		return fmt.Sprintf("STS refused %s with an answer the provider could not read (%d bytes)", action, len(b)), false
	}
	s := fmt.Sprintf("STS refused %s: %s", action, identifier(answer.Code))
	if id := identifier(answer.RequestID); id != "" {
		s += " (RequestId: " + id + ")"
	}
	code := strings.ToLower(answer.Code)
	switch {
	case strings.HasPrefix(code, "noperm"), strings.HasPrefix(code, "forbidden"):
		s += "; the caller needs sts:AssumeRole, and the role's trust policy must name the caller's account or user"
	case strings.HasPrefix(code, "entitynotexist"):
		s += "; the role does not exist: check role_arn"
	case strings.HasPrefix(code, "invalidaccesskeyid"):
		s += "; the access key ID is not known to Alibaba Cloud"
	case strings.HasPrefix(code, "signaturedoesnotmatch"):
		s += "; the access key secret does not belong to the access key ID"
	case strings.HasPrefix(code, "invalidsecuritytoken"):
		s += "; the STS token the role is assumed with is expired or invalid"
	}
	return s, strings.Contains(code, "throttling") || strings.Contains(code, "serviceunavailable")
}

// identifierPattern matches error codes and request IDs, the only parts of
// an answer quoted.
var identifierPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

func identifier(s string) string {
	if identifierPattern.MatchString(s) {
		return s
	}
	return ""
}

// quotedPrefix returns the text up to the first single quote: the path or
// name credentials-go put in quotes.
func quotedPrefix(s string) string {
	if i := strings.IndexByte(s, '\''); i >= 0 {
		return s[:i]
	}
	return "(unknown)"
}

// jsonProblem locates the syntax error of a file credentials-go could not
// read. It only checks the syntax, to say where the file is broken without
// quoting it; credentials-go alone reads the credentials.
func jsonProblem(path string) string {
	data, err := os.ReadFile(path)
	if err != nil || len(data) > 1<<20 {
		return ""
	}
	var v any
	var syntaxErr *json.SyntaxError
	switch err := json.Unmarshal(data, &v); {
	case errors.As(err, &syntaxErr):
		line, col := lineAndColumn(data, syntaxErr.Offset)
		return fmt.Sprintf(" (syntax error at line %d, column %d)", line, col)
	case err == nil:
		return " (it is JSON, but a value has a type the aliyun CLI format does not allow)"
	}
	return ""
}

func lineAndColumn(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 1), int64(len(data)))
	before := data[:offset-1]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// fileProblem says why a file cannot be read, without its content.
func fileProblem(path string) string {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "it does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case err != nil:
		return "it cannot be inspected"
	case info.IsDir():
		return "it is a directory"
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrPermission) {
		return "permission denied"
	}
	if err != nil {
		return "it cannot be opened"
	}
	_ = f.Close()
	return "it could not be read"
}

// urlHost returns the host of a URL, without its user, path or query.
func urlHost(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return "the credentials service"
}
