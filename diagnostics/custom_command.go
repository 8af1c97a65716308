package diagnostics

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"time"

	"github.com/apuri-project/apuri/internal/safetext"
	"github.com/apuri-project/apuri/profile"
)

// A command the organisation wrote says how things are by its exit status: 0 all is well,
// 1 a warning, 2 (or anything else) a failure. Its first line of output is the row's summary.
const (
	exitOK   = 0
	exitWarn = 1
)

// Bounds on what a command may hand back: its summary is one line of a row, the rest goes to
// the log, and a command that prints without end must not fill the report.
const (
	maxCommandOutput  = 64 << 10
	maxCommandSummary = 160
	maxCommandLog     = 20
)

// waitAfterKill is how long a command's output pipes may stay open after its deadline killed
// it: a child it started may hold them, and the check must still end.
const waitAfterKill = time.Second

// runCommand runs the check's program as the user, without a shell, within its timeout. A
// command line that would run as another user or hand code to a shell is refused here too,
// not only by the profile's validation: a profile can be built in code.
func (c *customCheck) runCommand(ctx context.Context) Result {
	argv := c.def.Run
	if problem := profile.CommandProblem(argv); problem != "" {
		Logf(ctx, "refused to run the command: %s", problem)
		return Fail(c.msg("check.custom.command_refused")).Because(ReasonRefused)
	}
	ctx, cancel := withMargin(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out boundedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Stdin = nil // no terminal to ask a password on
	cmd.WaitDelay = waitAfterKill
	hideConsole(cmd)
	start := c.now()
	err := cmd.Run()
	ms := c.now().Sub(start).Milliseconds()
	Logf(ctx, "ran %s in %d ms: %v", argv[0], ms, errText(err))
	for i, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		if i >= maxCommandLog {
			Logf(ctx, "…")
			break
		}
		if line = safetext.Line(line, 0); line != "" {
			Logf(ctx, "> %s", line)
		}
	}
	summary := firstLine(out.String())
	code := -1
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return Fail(c.msg("check.custom.timeout")).Because(ReasonTimeout).Detail(DetailLatencyMS, ms).
			Detail(DetailOutput, summary)
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		return Fail(c.msg("check.custom.command_not_run")).Because(ReasonUnreachable).
			Detail(DetailError, err.Error()).Detail(DetailLatencyMS, ms)
	default:
		code = exitOK
	}
	var r Result
	switch {
	case summary != "":
		r = Result{Message: c.msg("check.custom.command_said", "output", summary)}
	case code == exitOK:
		r = Result{Message: c.msg("check.custom.command_ok")}
	default:
		r = Result{Message: c.msg("check.custom.command_problem", "code", code)}
	}
	switch code {
	case exitOK:
		r.Status = StatusOK
	case exitWarn:
		r.Status, r.Reason = StatusWarn, ReasonExitStatus
	default:
		r.Status, r.Reason = StatusFail, ReasonExitStatus
	}
	return r.Detail(DetailExitCode, code).Detail(DetailOutput, summary).Detail(DetailLatencyMS, ms)
}

// firstLine is the first line of output with something in it, cleaned of control, escape and
// bidi characters and cut to fit a row.
func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = safetext.Line(line, maxCommandSummary); strings.TrimSpace(line) != "" {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

func errText(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// boundedBuffer keeps the first maxCommandOutput bytes written to it and drops the rest, so a
// command that prints without end still runs to its exit.
type boundedBuffer struct{ bytes.Buffer }

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if room := maxCommandOutput - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
