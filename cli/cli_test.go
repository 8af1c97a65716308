package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

// run runs the command line with a fake diagnosis, so no test ever probes a real network.
func run(t *testing.T, fake *diagnostics.Report, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runEnv(t, func(context.Context, *profile.Profile, func(diagnostics.Event)) *diagnostics.Report {
		if fake == nil {
			t.Fatal("this command must not diagnose")
		}
		copied := *fake
		copied.Checks = append([]diagnostics.Result(nil), fake.Checks...)
		return &copied
	}, args...)
}

// runEnv runs the command line with a private home and the given diagnosis.
func runEnv(t *testing.T, diagnose func(context.Context, *profile.Profile, func(diagnostics.Event)) *diagnostics.Report,
	args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("LANGUAGE", "en")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	code = Main(Env{Stdout: &out, Stderr: &errOut, Diagnose: diagnose}, args)
	return code, out.String(), errOut.String()
}

func report(results ...diagnostics.Result) *diagnostics.Report {
	return &diagnostics.Report{Schema: diagnostics.ReportSchema, Checks: results, Verdict: diagnostics.Decide(results)}
}

func result(id string, g diagnostics.Group, s diagnostics.Status, reason string) diagnostics.Result {
	return diagnostics.Result{ID: id, Group: g, Status: s, Reason: reason,
		Message: i18n.Msg("check.timeout", "seconds", 2), Details: map[string]any{}}
}

var (
	healthy = report(result(diagnostics.IDInterfaces, diagnostics.GroupNetwork, diagnostics.StatusOK, ""))
	noRoute = report(
		result(diagnostics.IDInterfaces, diagnostics.GroupNetwork, diagnostics.StatusOK, ""),
		result(diagnostics.IDGateway, diagnostics.GroupNetwork, diagnostics.StatusFail, diagnostics.ReasonNoRoute),
		result(diagnostics.IDDNS, diagnostics.GroupNetwork, diagnostics.StatusFail, ""))
)

func TestDiagnose(t *testing.T) {
	tests := []struct {
		name     string
		fake     *diagnostics.Report
		args     []string
		code     int
		contains []string
	}{
		{"healthy text", healthy, []string{"diagnose"}, program.ExitOK, []string{"✓ Everything Apuri checked works", "Network connection"}},
		{"failure text names the lowest layer first", noRoute, []string{"diagnose"}, program.ExitFailed,
			[]string{"✗ Your computer has a network address but no route", "Try this:", "1. "}},
		{"finnish", noRoute, []string{"diagnose", "--lang", "fi"}, program.ExitFailed, []string{"Tietokoneella on verkko-osoite", "Kokeile näitä:"}},
		{"swedish", healthy, []string{"--lang=sv", "diagnose"}, program.ExitOK, []string{"Allt som Apuri kontrollerade fungerar"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, tc.fake, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			for _, s := range tc.contains {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

func TestDiagnoseJSONIsTheContractObject(t *testing.T) {
	code, out, _ := run(t, noRoute, "diagnose", "--json")
	if code != program.ExitFailed {
		t.Fatalf("exit %d, want 1", code)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got["schema"] != "apuri.report/v1" {
		t.Errorf("schema = %v", got["schema"])
	}
	verdict, _ := got["verdict"].(map[string]any)
	if verdict["cause"] != "no_route" || verdict["status"] != "fail" || verdict["summary"] == "" {
		t.Errorf("verdict = %v", verdict)
	}
	if advice, _ := verdict["advice"].([]any); len(advice) == 0 {
		t.Errorf("verdict has no advice: %v", verdict)
	}
	checks, _ := got["checks"].([]any)
	first, _ := checks[0].(map[string]any)
	for _, key := range []string{"id", "group", "status", "summary", "details", "duration_ms"} {
		if _, ok := first[key]; !ok {
			t.Errorf("check lacks %q: %v", key, first)
		}
	}
}

func TestDiagnoseWithABrokenProfileExitsTwo(t *testing.T) {
	bad := filepath.Join("..", "profile", "testdata", "bad", "unknown_key.toml")
	code, out, errOut := run(t, nil, "diagnose", "--profile", bad)
	if code != program.ExitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	if out != "" || !strings.Contains(errOut, "unknown_key.toml:") {
		t.Errorf("stdout %q, stderr %q; want the problem with its file and line on stderr", out, errOut)
	}
}

func TestProfileCheck(t *testing.T) {
	good := filepath.Join("..", "profile", "testdata", "good", "full.toml")
	bad := filepath.Join("..", "profile", "testdata", "bad", "ftp_url.toml")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"good", []string{"profile", "check", good}, program.ExitOK, "the profile is valid", ""},
		{"bad names file and line", []string{"profile", "check", bad}, program.ExitUsage, "", "ftp_url.toml:"},
		{"bad in finnish", []string{"profile", "check", bad, "--lang", "fi"}, program.ExitUsage, "", "Organisaatioprofiilissa on virheitä"},
		{"missing file", []string{"profile", "check", filepath.Join(t.TempDir(), "nope.toml")}, program.ExitUsage, "", "nope.toml"},
		{"no file given", []string{"profile", "check"}, program.ExitUsage, "", "Usage:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, nil, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if !strings.Contains(out, tc.stdout) || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", out, errOut, tc.stdout, tc.stderr)
			}
		})
	}
}

func TestProfileCheckJSON(t *testing.T) {
	bad := filepath.Join("..", "profile", "testdata", "bad", "ftp_url.toml")
	code, out, _ := run(t, nil, "profile", "check", "--json", bad)
	if code != program.ExitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	var got checkJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Valid || len(got.Problems) != 1 || got.Problems[0].Line == 0 || got.Problems[0].Key == "" || got.Problems[0].Message == "" {
		t.Errorf("got %+v; want one problem with line, key and message", got)
	}
}

// TestUsageErrorsFollowTheLanguage runs every way a command line can be wrong in each
// language, with --lang before and after the word that is wrong: the first line names the
// problem in that language, the usage follows in it, nothing of the flag package's English
// leaks through, and the exit code is 2.
func TestUsageErrorsFollowTheLanguage(t *testing.T) {
	usage := map[string]string{"fi": "Käyttö:", "sv": "Användning:", "en": "Usage:"}
	tests := []struct {
		name string
		args []string
		want map[string]string
	}{
		{"unknown command", []string{"frobnicate"}, map[string]string{
			"fi": "Tuntematon komento: frobnicate", "sv": "Okänt kommando: frobnicate", "en": "Unknown command: frobnicate"}},
		{"unknown option", []string{"diagnose", "--bogus"}, map[string]string{
			"fi": "Tuntematon valitsin: --bogus", "sv": "Okänt alternativ: --bogus", "en": "Unknown option: --bogus"}},
		{"option without its value", []string{"diagnose", "--profile"}, map[string]string{
			"fi": "Valitsin --profile tarvitsee arvon.", "sv": "Alternativet --profile behöver ett värde.",
			"en": "The option --profile needs a value."}},
		{"bad value", []string{"diagnose", "--json=maybe"}, map[string]string{
			"fi": `Valitsimelle --json ei käy arvo "maybe".`, "sv": `Alternativet --json tar inte värdet "maybe".`,
			"en": `The option --json does not take the value "maybe".`}},
		{"profile without what to do", []string{"profile"}, map[string]string{
			"fi": "Kerro, mitä profiilille tehdään:", "sv": "Ange vad som ska göras med profilen:",
			"en": "Say what to do with the profile:"}},
		{"window without a name", []string{"window"}, map[string]string{
			"fi": "Kerro, mikä ikkuna avataan:", "sv": "Ange vilket fönster som ska öppnas:", "en": "Name the window to open:"}},
	}
	for _, tc := range tests {
		for _, lang := range []string{"fi", "sv", "en"} {
			for _, where := range []string{"before", "after"} {
				args := append([]string{"--lang", lang}, tc.args...)
				if where == "after" {
					// The option that is missing its value must stay last to be missing it.
					args = append([]string{tc.args[0], "--lang", lang}, tc.args[1:]...)
				}
				t.Run(tc.name+"/"+lang+"/"+where, func(t *testing.T) {
					t.Setenv("LANGUAGE", "en")
					code, out, errOut := run(t, nil, args...)
					lines := strings.SplitN(errOut, "\n", 2)
					if code != program.ExitUsage || !strings.HasPrefix(lines[0], tc.want[lang]) {
						t.Fatalf("%q: exit %d stderr %q; want 2 and %q first", args, code, errOut, tc.want[lang])
					}
					if len(lines) < 2 || !strings.HasPrefix(lines[1], usage[lang]) {
						t.Errorf("%q: the usage after the problem is not in %s: %q", args, lang, errOut)
					}
					for _, english := range []string{"flag provided", "needs an argument", "invalid", "Bad command line"} {
						if strings.Contains(errOut, english) {
							t.Errorf("%q: the flag package's English %q leaked: %q", args, english, errOut)
						}
					}
					if out != "" {
						t.Errorf("%q: a usage error printed to standard output: %q", args, out)
					}
				})
			}
		}
	}
}

func TestAnUnknownLanguageIsSaid(t *testing.T) {
	code, _, errOut := run(t, nil, "diagnose", "--lang", "de")
	if code != program.ExitUsage || !strings.Contains(errOut, `Unknown language "de"`) {
		t.Errorf("exit %d stderr %q; want 2 and the unknown language", code, errOut)
	}
}

// TestTheCommandStandsAfterTheCommonOptions: `apuri --lang fi diagnose` runs the diagnosis, and
// the value of --profile is never taken for a command.
func TestTheCommandStandsAfterTheCommonOptions(t *testing.T) {
	code, out, errOut := run(t, healthy, "--lang", "fi", "diagnose")
	if code != program.ExitOK || out == "" {
		t.Fatalf("apuri --lang fi diagnose: exit %d stdout %q stderr %q", code, out, errOut)
	}
	if name, rest := splitCommand([]string{"--profile", "diagnose", "--json", "version"}); name != "version" ||
		strings.Join(rest, " ") != "--profile diagnose --json" {
		t.Errorf("splitCommand took %q and left %q; want version, and the profile named diagnose", name, rest)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, nil, "version")
	if code != program.ExitOK || out != "apuri "+program.Version+"\n" {
		t.Errorf("exit %d, output %q", code, out)
	}
}

func TestBrokenUserProfileFallsBackWithAWarning(t *testing.T) {
	cfg := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cfg, "apuri"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg, "apuri", "profile.toml"), []byte("schema = 1\nbogus = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LANGUAGE", "en")
	t.Setenv("XDG_CONFIG_HOME", cfg)
	var out, errOut bytes.Buffer
	code := Main(Env{Stdout: &out, Stderr: &errOut, Diagnose: func(context.Context, *profile.Profile, func(diagnostics.Event)) *diagnostics.Report {
		return report(result(diagnostics.IDInterfaces, diagnostics.GroupNetwork, diagnostics.StatusOK, ""))
	}}, []string{"diagnose"})
	if code != program.ExitOK {
		t.Fatalf("exit %d; a broken user profile must not stop the diagnosis", code)
	}
	if !strings.Contains(errOut.String(), "profile.toml:2") || !strings.Contains(errOut.String(), "Using the") {
		t.Errorf("stderr %q; want the problem and the fall-back named", errOut.String())
	}
}

func TestWindowWithoutTheWindowProgramSaysSo(t *testing.T) {
	// The test binary has no apuri-window beside it, as on a machine where only the CLI is installed.
	code, _, errOut := run(t, nil, "window", "details")
	if code != program.ExitUsage || !strings.Contains(errOut, WindowBinary) || !strings.Contains(errOut, "apuri diagnose") {
		t.Errorf("exit %d, stderr %q; want 2 and a message naming %s and apuri diagnose", code, errOut, WindowBinary)
	}
}

// The menu entry starts Apuri with --details: the tray gets it with the common flags.
func TestTheTrayTakesDetails(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		details bool
	}{
		{nil, false},
		{[]string{"--details"}, true},
		{[]string{"--lang", "sv", "--details"}, true},
	} {
		var got program.Options
		var out, errOut bytes.Buffer
		code := Main(Env{Stdout: &out, Stderr: &errOut, Tray: func(o program.Options) int { got = o; return 0 }}, tt.args)
		if code != program.ExitOK || got.Details != tt.details {
			t.Errorf("%q: exit %d, details %v, want %v; stderr %s", tt.args, code, got.Details, tt.details, errOut.String())
		}
	}
}
