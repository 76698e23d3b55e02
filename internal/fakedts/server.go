package fakedts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	// Credentials the fake accepts; empty means DefaultCredential only.
	Credentials []Credential
	// Jobs to start with (see DefaultJobs). New panics on an invalid one;
	// AddJob reports the same problems as errors.
	Jobs []Job
	// Clock is the time source; nil means the real clock.
	Clock Clock
	// Seed makes the random faults reproducible.
	Seed int64
	// Logger, if set, receives one line per request.
	Logger func(format string, args ...any)
	// Behavior picks the answers to what the documentation leaves open (see
	// Profiles); the zero value is the default profile. New panics on an
	// invalid one; SetBehavior reports it as an error.
	Behavior Behavior
	// Quotas are set as SetQuotas would (see DocumentedQuotas); New panics on
	// an invalid one.
	Quotas []Quota
	// Permissions say which actions each access key may call (see
	// SetPermissions); the zero value allows all. New panics on an invalid one.
	Permissions Permissions
	// TimestampWindow is the allowed distance between a signature timestamp
	// and the fake clock; 0 means 15 minutes, negative disables the check.
	TimestampWindow time.Duration
}

// Server is the fake DTS endpoint. It is an http.Handler: the DTS API on
// "/" and the admin API under "/_admin/".
type Server struct {
	opts  Options
	clock Clock
	creds map[string]Credential

	mu       sync.Mutex
	behavior Behavior
	// permissions are the RAM-like policies (see SetPermissions).
	permissions Permissions
	offset      time.Duration
	quotas      []Quota
	// quotaBuckets hold the quotas' tokens per action, access key and region.
	quotaBuckets map[string]*tokenBucket
	jobs         map[string]*job
	nonces       *nonceCache
	calls        []Call
	faults       Faults
	bucket       tokenBucket
	queue        []queuedFault
	rng          *rand.Rand
	admin        *http.ServeMux
	lifeMu       sync.Mutex
	url          string
	httpSrv      *http.Server
	serveErr     chan error
}

const (
	nonceTTL      = 2 * DefaultTimestampWindow
	nonceCapacity = 200_000
	maxCalls      = 100_000
)

// New builds a Server; it does not listen until Start (tests use
// fakedtstest.NewServer, which starts it and closes it when the test ends).
func New(opts Options) *Server {
	s := &Server{
		opts:   opts,
		clock:  opts.Clock,
		creds:  map[string]Credential{},
		jobs:   map[string]*job{},
		nonces: newNonceCache(nonceTTL, nonceCapacity),
		rng:    rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed_f00d)),
	}
	if s.clock == nil {
		s.clock = realClock{}
	}
	creds := opts.Credentials
	if len(creds) == 0 {
		creds = []Credential{DefaultCredential()}
	}
	for _, c := range creds {
		s.creds[c.AccessKeyID] = c
	}
	// An invalid option panics with the first problem found.
	err := s.SetBehavior(opts.Behavior)
	for _, j := range opts.Jobs {
		err = cmp.Or(err, s.AddJob(j))
	}
	if err = cmp.Or(err, s.SetQuotas(opts.Quotas), s.SetPermissions(opts.Permissions)); err != nil {
		panic("fakedts.New: " + err.Error())
	}
	s.admin = s.adminMux()
	return s
}

// Start listens on addr (e.g. "127.0.0.1:0") and serves in the background.
func (s *Server) Start(addr string) error {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.httpSrv != nil {
		return errors.New("fakedts: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	s.url = "http://" + ln.Addr().String()
	s.serveErr = make(chan error, 1)
	go func() { s.serveErr <- s.httpSrv.Serve(ln) }()
	return nil
}

// Close stops serving. It is safe to call more than once.
func (s *Server) Close() {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			s.httpSrv.Close()
		}
		// Serve returns http.ErrServerClosed after Shutdown or Close; this
		// only waits for it to return.
		<-s.serveErr //nolint:errcheck // the error is always http.ErrServerClosed here
		s.httpSrv = nil
	}
}

// URL is the base URL, e.g. http://127.0.0.1:PORT, once serving.
func (s *Server) URL() string {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	return s.url
}

// Endpoint is URL without the scheme: the host:port a client's Endpoint
// setting wants.
func (s *Server) Endpoint() string {
	return strings.TrimPrefix(s.URL(), "http://")
}

// ServeHTTP serves the admin API under /_admin/ and the DTS API elsewhere.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_admin" || strings.HasPrefix(r.URL.Path, "/_admin/") {
		s.serveAdmin(w, r)
		return
	}
	s.serveAPI(w, r)
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logger != nil {
		s.opts.Logger(format, args...)
	}
}

// Now is the fake clock's time: the Clock plus every AdvanceClock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Server) nowLocked() time.Time { return s.clock.Now().Add(s.offset) }

// AdvanceClock moves the fake clock by d (which may be negative).
func (s *Server) AdvanceClock(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
}

// AddJob adds a job. Defaults: DtsJobID from ID (see Job), Class "small", Region
// "cn-hangzhou", PayType PostPaid, CreateTime now, each direction's Status
// Synchronizing, a Suspending direction's PausedAt now.
func (s *Server) AddJob(j Job) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.jobs[j.ID]; dup {
		return fmt.Errorf("job %s already exists", j.ID)
	}
	jb, err := newJob(j, s.nowLocked(), &s.behavior)
	if err != nil {
		return err
	}
	for _, other := range s.jobs {
		if other.cfg.DtsJobID == jb.cfg.DtsJobID {
			return fmt.Errorf("job %s: task ID %s already belongs to job %s", j.ID, jb.cfg.DtsJobID, other.cfg.ID)
		}
	}
	s.jobs[j.ID] = jb
	return nil
}

// Job returns a snapshot of a job evaluated at the fake clock's now.
func (s *Server) Job(id string) (Job, bool) {
	var out Job
	err := s.onJob(id, func(jb *job, now time.Time) { out = jb.snapshot(now) })
	return out, err == nil
}

// Jobs returns snapshots of all jobs, newest CreateTime first.
func (s *Server) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	out := make([]Job, 0, len(s.jobs))
	for _, jb := range s.sortedJobsLocked() {
		jb.advance(now)
		out = append(out, jb.snapshot(now))
	}
	return out
}

func (s *Server) sortedJobsLocked() []*job {
	list := slices.Collect(maps.Values(s.jobs))
	slices.SortFunc(list, func(a, b *job) int {
		return cmp.Or(b.cfg.CreateTime.Compare(a.cfg.CreateTime), strings.Compare(a.cfg.ID, b.cfg.ID))
	})
	return list
}

func (s *Server) jobLocked(id, dir string) (*job, *direction, error) {
	jb, ok := s.jobs[id]
	if !ok {
		return nil, nil, fmt.Errorf("job %s not found", id)
	}
	d := jb.dir(dir)
	if d == nil {
		return nil, nil, fmt.Errorf("job %s has no %s direction", id, dir)
	}
	return jb, d, nil
}

// SetStatus changes a direction's status out of band ("" = Forward), as if
// someone used the console; any pending transition is dropped.
func (s *Server) SetStatus(id, direction, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	jb, d, err := s.jobLocked(id, direction)
	if err != nil {
		return err
	}
	return jb.setStatus(d, status, s.nowLocked())
}

// DeleteJob removes a job; the next API read no longer finds it.
func (s *Server) DeleteJob(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.jobs[id]; !ok {
		return fmt.Errorf("job %s not found", id)
	}
	delete(s.jobs, id)
	return nil
}

// SetJobFault replaces the scripted faults of a job; JobFault{} clears them.
// FailAfter counts from now for directions already synchronizing.
func (s *Server) SetJobFault(id string, f JobFault) error {
	if err := validateFault(f); err != nil {
		return err
	}
	return s.onJob(id, func(jb *job, now time.Time) {
		jb.cfg.Fault = f
		jb.faultSince = now
		jb.advance(now)
	})
}

// SetTransitionTime sets how long the job's future transitions take.
func (s *Server) SetTransitionTime(id string, d time.Duration) error {
	if d < 0 {
		return errors.New("negative transition time")
	}
	return s.onJob(id, func(jb *job, _ time.Time) { jb.cfg.TransitionTime = d })
}

// SetDelay sets a direction's replication delay ("" = Forward) at the fake
// now, as if the target had fallen that far behind; from there it falls at
// the job's catch-up rate while synchronizing and grows otherwise.
func (s *Server) SetDelay(id, direction string, delay time.Duration) error {
	if delay < 0 {
		return errors.New("negative delay")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	jb, d, err := s.jobLocked(id, direction)
	if err != nil {
		return err
	}
	now := s.nowLocked()
	jb.advance(now)
	d.started, d.delayRef, d.delayRefAt = true, delay, now
	return nil
}

// SetCatchUpRate sets how many seconds of delay the job's synchronizing
// directions work off per second, from now on; 0 means DefaultCatchUpRate.
func (s *Server) SetCatchUpRate(id string, rate float64) error {
	if err := validateCatchUpRate(rate); err != nil {
		return err
	}
	return s.onJob(id, func(jb *job, now time.Time) { jb.setCatchUpRate(rate, now) })
}

// onJob runs fn on job id advanced to the fake now.
func (s *Server) onJob(id string, fn func(jb *job, now time.Time)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	jb, ok := s.jobs[id]
	if !ok {
		return fmt.Errorf("job %s not found", id)
	}
	now := s.nowLocked()
	jb.advance(now)
	fn(jb, now)
	return nil
}
