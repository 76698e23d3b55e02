package dtsclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
)

// APIVersion is the DTS OpenAPI version every request is sent with.
const APIVersion = "2020-01-01"

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxRetries     = 5
	DefaultRequestTimeout = 30 * time.Second
	DefaultRetryBaseDelay = 500 * time.Millisecond
	DefaultRetryMaxDelay  = 20 * time.Second
)

// Logger receives one entry per request attempt; level is "debug", "info", "warn",
// "error" or "trace". Fields never contain credentials or signatures.
type Logger func(ctx context.Context, level string, msg string, fields map[string]any)

// Config configures a Client.
type Config struct {
	// Endpoint is the host or host:port, signed as given; required. A URL such as
	// "http://127.0.0.1:8080" is accepted too and its scheme sets Protocol.
	Endpoint string
	// Protocol is "https" (default) or "http".
	Protocol string
	// Credential signs requests; required.
	Credential credentials.Credential
	// SignatureAlgorithm is "" or "ACS3-HMAC-SHA256" for V3 signing (default), or
	// "HMAC-SHA1" or "v2" for V1 RPC signing.
	SignatureAlgorithm string
	// MaxRetries is the number of retries after the first attempt for retryable
	// errors other than throttling; 0 disables them and a negative value means
	// DefaultMaxRetries. Throttled calls are retried, paced, for as long as
	// the deadline (or ThrottleBudget) allows.
	MaxRetries int
	// RequestTimeout bounds each attempt (connect and read); 0 means 30s.
	RequestTimeout time.Duration
	// RetryBaseDelay is the shortest backoff; 0 means 500ms.
	RetryBaseDelay time.Duration
	// RetryMaxDelay caps each backoff; 0 means 20s.
	RetryMaxDelay time.Duration
	// UserAgent is appended to darabonba's User-Agent.
	UserAgent string
	// Logger receives per-attempt entries; nil is silent.
	Logger Logger
	// HTTPClient sends the requests; nil uses a private pooled client.
	HTTPClient *http.Client
	// Pacer paces the calls per account (Credential), region (the call's
	// RegionId) and action class; give every client of one provider instance
	// the same Pacer. nil gives the client a Pacer of its own.
	Pacer *Pacer
	// ThrottleBudget bounds the time a call without a context deadline
	// spends paced or throttled; 0 means DefaultThrottleBudget.
	ThrottleBudget time.Duration
}

// Client calls DTS. It is safe for concurrent use.
type Client struct {
	// dara is a configured template; each call works on a shallow copy because
	// CallApiWithCtx writes dara.Headers (GetRpcHeaders) on every RPC request.
	dara           *openapi.Client
	protocol       string
	maxRetries     int
	requestTimeout time.Duration
	baseDelay      time.Duration
	maxDelay       time.Duration
	logger         Logger
	pacer          *Pacer
	account        string // accountKey(Credential), the pacer's account
	throttleBudget time.Duration
}

// New validates cfg and builds a Client. It makes no network calls.
func New(cfg Config) (*Client, error) {
	host, protocol, err := resolveEndpoint(cfg.Endpoint, cfg.Protocol)
	if err != nil {
		return nil, err
	}
	if cfg.Credential == nil {
		return nil, errors.New("dtsclient: Credential is required")
	}
	var sigAlg *string
	switch strings.ToUpper(strings.TrimSpace(cfg.SignatureAlgorithm)) {
	case "", "ACS3-HMAC-SHA256", "V3":
		// nil selects darabonba's default, ACS3-HMAC-SHA256.
	case "HMAC-SHA1", "V2":
		sigAlg = dara.String("v2")
	default:
		return nil, fmt.Errorf("dtsclient: unsupported SignatureAlgorithm %q (want ACS3-HMAC-SHA256 or HMAC-SHA1)", cfg.SignatureAlgorithm)
	}

	hc := cfg.HTTPClient
	if hc == nil {
		hc = newDefaultHTTPClient()
	}
	oc := &openapi.Config{
		Endpoint:           dara.String(host),
		Protocol:           dara.String(protocol),
		Credential:         cfg.Credential,
		SignatureAlgorithm: sigAlg,
		HttpClient:         &httpDoer{hc: withRedirectPolicy(hc)},
		// darabonba still builds an (unused) transport per request and reads proxy
		// variables for it; exempting the host keeps a bad HTTPS_PROXY from failing calls.
		NoProxy: dara.String(host),
	}
	if cfg.UserAgent != "" {
		oc.UserAgent = dara.String(cfg.UserAgent)
	}
	dc, err := openapi.NewClient(oc)
	if err != nil {
		return nil, fmt.Errorf("dtsclient: init darabonba client: %w", err)
	}
	// Raw errors keep ThrottlingError.RetryAfter, which TeaSDKError would drop.
	dc.DisableSDKError = dara.Bool(true)

	c := &Client{
		pacer:          cfg.Pacer,
		account:        accountKey(cfg.Credential),
		throttleBudget: positiveOr(cfg.ThrottleBudget, DefaultThrottleBudget),
		dara:           dc,
		protocol:       protocol,
		maxRetries:     cfg.MaxRetries,
		requestTimeout: positiveOr(cfg.RequestTimeout, DefaultRequestTimeout),
		baseDelay:      positiveOr(cfg.RetryBaseDelay, DefaultRetryBaseDelay),
		maxDelay:       positiveOr(cfg.RetryMaxDelay, DefaultRetryMaxDelay),
		logger:         cfg.Logger,
	}
	if c.maxRetries < 0 {
		c.maxRetries = DefaultMaxRetries
	}
	if c.pacer == nil {
		c.pacer = NewPacer()
	}
	return c, nil
}

// positiveOr returns v, or def when v is zero or negative.
func positiveOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// resolveEndpoint combines Config.Endpoint (parsed by ParseEndpoint) with
// Config.Protocol, which applies to a bare host and must agree with a URL's scheme.
func resolveEndpoint(endpoint, protocol string) (host, proto string, err error) {
	proto = strings.ToLower(strings.TrimSpace(protocol))
	if proto != "" && proto != "https" && proto != "http" {
		return "", "", fmt.Errorf("dtsclient: Protocol %q must be https or http", protocol)
	}
	host, scheme, err := ParseEndpoint(endpoint)
	if err != nil {
		return "", "", fmt.Errorf("dtsclient: %w", err)
	}
	switch {
	case !strings.Contains(endpoint, "://") && proto != "":
		return host, proto, nil
	case proto != "" && proto != scheme:
		return "", "", fmt.Errorf("dtsclient: Endpoint scheme %q conflicts with Protocol %q", scheme, protocol)
	}
	return host, scheme, nil
}
