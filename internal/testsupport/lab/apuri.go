//go:build linux

package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/reportschema"
)

// Report is the JSON report of `apuri diagnose --json` as the contract (docs/report.md) writes
// it. It is decoded into its own types, not the diagnostics package's, so a renamed Go field
// cannot silently change what the tests read.
type Report struct {
	Schema     string        `json:"schema"`
	StartedAt  string        `json:"started_at"`
	DurationMS int64         `json:"duration_ms"`
	Host       ReportHost    `json:"host"`
	Checks     []CheckResult `json:"checks"`
	Verdict    Verdict       `json:"verdict"`
	// Disruptions are the current known disruptions of the profile's feed.
	Disruptions []Disruption `json:"known_disruptions"`
}

// ReportHost is the report's host object.
type ReportHost struct {
	OS       string `json:"os"`
	Platform string `json:"platform"`
}

// CheckResult is one entry of checks[].
type CheckResult struct {
	ID         string         `json:"id"`
	Group      string         `json:"group"`
	Status     string         `json:"status"`
	Summary    string         `json:"summary"`
	Reason     string         `json:"reason"`
	Details    map[string]any `json:"details"`
	DurationMS int64          `json:"duration_ms"`
	Log        []string       `json:"log"`
}

// Verdict is the report's verdict object.
type Verdict struct {
	Cause   string `json:"cause"`
	Status  string `json:"status"`
	Summary string `json:"summary"`
	// Message is Summary as a translation key and its arguments, which render the sentence in
	// every language (VerdictIn).
	Message  Message  `json:"message"`
	Advice   []string `json:"advice"`
	Evidence []string `json:"evidence"`
	// KnownDisruption is the disruption from the profile's feed that explains the cause.
	KnownDisruption *Disruption `json:"known_disruption"`
}

// Message is a translation key and its arguments, as the report gives them.
type Message struct {
	Key  string         `json:"key"`
	Args map[string]any `json:"args"`
}

// Disruption is a known disruption as the report gives it.
type Disruption struct {
	Title   string    `json:"title"`
	URL     string    `json:"url"`
	Started time.Time `json:"started"`
	// Detected is set when the organisation's monitoring saw it (docs/fleet.md).
	Detected *Detection `json:"detected"`
}

// Detection is what the organisation's monitoring saw: how many computers at a site lost
// their connection, and for which cause.
type Detection struct {
	Site     string `json:"site"`
	Cause    string `json:"cause"`
	Affected int    `json:"affected"`
}

// Check returns the result with the given ID.
func (r *Report) Check(id string) (CheckResult, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return CheckResult{}, false
}

// Slowest returns the check that took longest.
func (r *Report) Slowest() CheckResult {
	var s CheckResult
	for _, c := range r.Checks {
		if c.DurationMS >= s.DurationMS {
			s = c
		}
	}
	return s
}

// Run is one run of the apuri binary.
type Run struct {
	Report   *Report
	Stdout   []byte
	Stderr   string
	ExitCode int
	// Wall is the time from starting the process to its exit, as a user waits for it.
	Wall time.Duration
}

// Apuri runs a built apuri binary inside a namespace, with a HOME and XDG directories of its
// own so that nothing of the real user's configuration is read or written.
type Apuri struct {
	Bin string
	// Dir holds the private HOME; each run gets a fresh subdirectory.
	Dir string
	// Env is added to the run's environment after the private directories, so a value here
	// wins (a desktop's XDG_CONFIG_HOME, a proxy).
	Env []string
}

// Diagnose runs `apuri diagnose --json [--profile FILE]` in ns and decodes the report. A run
// that exits with a code other than 0 or 1, or prints no report, is an error. The context
// bounds the run so a hung binary cannot hang the test.
func (a Apuri) Diagnose(ctx context.Context, ns, profilePath string) (*Run, error) {
	args := []string{"diagnose", "--json"}
	if profilePath != "" {
		args = append(args, "--profile", profilePath)
	}
	r, err := a.Exec(ctx, ns, args...)
	if err != nil {
		return r, err
	}
	return decodeDiagnosis(r)
}

// decodeDiagnosis checks the exit code of a diagnose run and decodes its report, which must
// hold to the schema.
func decodeDiagnosis(r *Run) (*Run, error) {
	if r.ExitCode != 0 && r.ExitCode != 1 {
		return r, fmt.Errorf("apuri diagnose exited %d: %s", r.ExitCode, r.Stderr)
	}
	if err := reportschema.Validate(r.Stdout); err != nil {
		return r, fmt.Errorf("the report breaks its schema: %w\nstdout: %s", err, r.Stdout)
	}
	var rep Report
	if err := json.Unmarshal(r.Stdout, &rep); err != nil {
		return r, fmt.Errorf("decode report: %w\nstdout: %s\nstderr: %s", err, r.Stdout, r.Stderr)
	}
	r.Report = &rep
	return r, nil
}

// Exec runs the binary with args in ns and returns what it printed and its exit code.
func (a Apuri) Exec(ctx context.Context, ns string, args ...string) (*Run, error) {
	cmd, _, err := a.command(ctx, ns, args...)
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	r := &Run{Wall: time.Since(start), Stdout: stdout.Bytes(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && ctx.Err() == nil:
		r.ExitCode = exit.ExitCode()
	default:
		return r, fmt.Errorf("run apuri %v in %s: %w (stderr: %s)", args, ns, err, r.Stderr)
	}
	return r, nil
}

// command prepares the binary with args in ns, with a private HOME and XDG directories of its
// own (never the test run's: Go's caches follow them) and a plain locale.
func (a Apuri) command(ctx context.Context, ns string, args ...string) (cmd *exec.Cmd, home string, err error) {
	home, err = os.MkdirTemp(a.Dir, "home-")
	if err != nil {
		return nil, "", fmt.Errorf("home dir: %w", err)
	}
	runtimeDir := filepath.Join(home, "run")
	if err := os.MkdirAll(runtimeDir, 0o700); err != nil {
		return nil, "", fmt.Errorf("runtime dir: %w", err)
	}
	cmd = exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, a.Bin}, args...)...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_RUNTIME_DIR=" + runtimeDir,
		"LANG=C.UTF-8",
	}
	cmd.Env = append(cmd.Env, a.Env...)
	return cmd, home, nil
}
