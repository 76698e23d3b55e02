package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// runWrapper runs the real provider with this process's arguments and
// standard streams, then appends the provider's peak RSS (KiB) to the file
// named by DTS_BENCH_RSS_FILE.
func runWrapper() int {
	providerBin := os.Getenv(envRealProvider)
	if providerBin == "" {
		fmt.Fprintln(os.Stderr, "bench wrapper: "+envRealProvider+" is not set")
		return 1
	}
	cmd := exec.Command(providerBin, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bench wrapper:", err)
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		if f, ferr := os.OpenFile(os.Getenv(envRSSFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); ferr == nil {
			_, _ = fmt.Fprintf(f, "%d\n", ru.Maxrss)
			_ = f.Close()
		}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}
