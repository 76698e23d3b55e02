package main

import (
	"context"
	"os/exec"
	"strings"
)

// goBench runs the Go benchmarks of internal/dtsclient and returns their
// output and the command.
func (b *bench) goBench(ctx context.Context) (string, string) {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "1", "./internal/dtsclient/"}
	c := exec.CommandContext(ctx, "go", args...)
	c.Dir = b.root
	out, err := c.CombinedOutput()
	s := string(out)
	if err != nil {
		s += "\n(go test exited: " + err.Error() + ")\n"
	}
	return s, "go " + strings.Join(args, " ")
}

func (b *bench) runGoBench(ctx context.Context, rep *report) error {
	b.progress("go test -bench ./internal/dtsclient/")
	rep.goBench, rep.goBenchCmd = b.goBench(ctx)
	return nil
}
