// Command fakedts runs the fake Alibaba Cloud DTS endpoint of package
// internal/fakedts on a local port.
//
// Once listening it prints one JSON line to stdout,
//
//	{"url":"http://127.0.0.1:PORT","access_key_id":"...","access_key_secret":"..."}
//
// then serves until SIGINT or SIGTERM. Logs go to stderr. See
// internal/fakedts/README.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "fakedts:", err)
		os.Exit(1)
	}
}

// announcement is the JSON line printed once the server listens.
type announcement struct {
	URL             string `json:"url"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	SecurityToken   string `json:"security_token,omitempty"`
}

// run is main without the process: it serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	def := fakedts.DefaultCredential()
	fs := flag.NewFlagSet("fakedts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (host:port; port 0 picks a free one)")
	keyID := fs.String("access-key-id", def.AccessKeyID, "access key ID clients must sign with")
	keySecret := fs.String("access-key-secret", def.AccessKeySecret, "access key secret clients must sign with")
	token := fs.String("security-token", "", "STS security token clients must send (optional)")
	seedFile := fs.String("seed-file", "", "JSON file of jobs (see README.md); default: the default job set")
	transition := fs.Duration("transition", 3*time.Second, "transition time of seeded jobs that set none")
	allowRemote := fs.Bool("allow-non-loopback", false, "allow listening on a non-loopback address")
	seed := fs.Int64("seed", 1, "seed of the random faults")
	profile := fs.String("profile", "default", "behaviour profile: "+strings.Join(fakedts.ProfileNames(), ", ")+
		" (the flags below override single switches)")
	behaviorFlags(fs)
	quotas := fs.String("quotas", "", `per-action quotas: "documented" (DescribeDtsJobDetail 40/s, DescribeDtsJobs 20/s per key and region) or "none"; default: the profile's`)
	allowActions := fs.String("allow-actions", "", `comma-separated actions the key may call, as in a RAM policy ("dts:Describe*,dts:SuspendDtsJob"); every other action answers NoPermission; default: all`)
	denyActions := fs.String("deny-actions", "", `comma-separated actions that answer NoPermission (an explicit deny, wins over -allow-actions)`)
	denialCode := fs.String("denial-code", fakedts.CodeNoPermission, "code of a denied call: "+fakedts.CodeNoPermission+" or "+fakedts.CodeForbiddenRAM)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if *keyID == "" || *keySecret == "" {
		return errors.New("-access-key-id and -access-key-secret must not be empty")
	}
	if *transition < 0 {
		return errors.New("-transition must not be negative")
	}
	if !*allowRemote {
		if err := checkLoopback(*listen); err != nil {
			return err
		}
	}

	jobs := fakedts.DefaultJobs()
	for i := range jobs {
		jobs[i].TransitionTime = *transition
	}
	if *seedFile != "" {
		var err error
		if jobs, err = fakedts.LoadSeedFile(*seedFile, time.Now(), *transition); err != nil {
			return err
		}
	}
	p, err := fakedts.ProfileByName(*profile)
	if err != nil {
		return err
	}
	logger := log.New(stderr, "", log.LstdFlags)
	s := fakedts.New(fakedts.Options{
		Credentials: []fakedts.Credential{{AccessKeyID: *keyID, AccessKeySecret: *keySecret, SecurityToken: *token}},
		Seed:        *seed,
		Logger:      logger.Printf,
	})
	if err := s.SetBehavior(applyBehaviorFlags(fs, p.Behavior)); err != nil {
		return err
	}
	q := p.Quotas
	switch *quotas {
	case "":
	case "documented":
		q = fakedts.DocumentedQuotas()
	case "none":
		q = nil
	default:
		return fmt.Errorf(`-quotas %q: want "documented" or "none"`, *quotas)
	}
	if err := s.SetQuotas(q); err != nil {
		return err
	}
	if err := s.SetPermissions(permissionsFlags(*allowActions, *denyActions, *denialCode)); err != nil {
		return err
	}
	for _, j := range jobs {
		if err := s.AddJob(j); err != nil {
			return err
		}
	}
	if err := s.Start(*listen); err != nil {
		return err
	}
	defer s.Close()
	if !*allowRemote {
		// A name like "localhost" may resolve elsewhere; judge what was bound.
		if err := checkLoopback(s.Endpoint()); err != nil {
			return err
		}
	}
	line := announcement{URL: s.URL(), AccessKeyID: *keyID, AccessKeySecret: *keySecret, SecurityToken: *token}
	if err := json.NewEncoder(stdout).Encode(line); err != nil {
		return err
	}
	logger.Printf("fakedts: serving DTS %s at %s with %d jobs, profile %s; admin API at %s/_admin/",
		fakedts.APIVersion, s.URL(), len(jobs), p.Name, s.URL())
	<-ctx.Done()
	logger.Printf("fakedts: shutting down")
	return nil
}

// checkLoopback refuses addresses that are not on the loopback interface.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("refusing to listen on %q: not a loopback address (the admin API has no authentication); pass -allow-non-loopback to override", addr)
}
