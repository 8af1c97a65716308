package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

func TestProfileShowText(t *testing.T) {
	good := filepath.Join("..", "profile", "testdata", "good", "full.toml")
	bad := filepath.Join("..", "profile", "testdata", "bad", "ftp_url.toml")
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		stderr   string
		noStdout string
	}{
		{"embedded default", []string{"profile", "show"}, program.ExitOK,
			[]string{"Profile in use: built-in default profile", "schema = 1  # default.toml:", "support.feedback_days = 5  # default\n", "links = []  # default"},
			"", "profile.toml"},
		{"file given", []string{"profile", "show", "--profile", good}, program.ExitOK,
			[]string{"profile given on the command line (" + good + ")", `organisation.name = "Example Agency"  # ` + good + ":5\n",
				`links[1].url = "https://learn.example.org/"  # ` + good + ":24\n",
				`links[0].title = { en = "Intranet", fi = "Intranet", sv = "Intranätet" }  # ` + good + ":19\n",
				`services[1].title = "Webmail"  # ` + good + ":", `vpn.interfaces = ["tun*", "wg?", "vpn[0-9]"]  # ` + good,
				"network.internet_expect = \"\"  # default\n"},
			"", ""},
		{"in swedish", []string{"profile", "show", "--lang", "sv"}, program.ExitOK, []string{"Profil som används: inbyggd standardprofil", "# standard\n"}, "", ""},
		{"broken file given falls back and exits 2", []string{"profile", "show", "--profile", bad}, program.ExitUsage,
			[]string{"Profile in use: built-in default profile"}, "ftp_url.toml:", ""},
		{"extra argument", []string{"profile", "show", "extra"}, program.ExitUsage, nil, "Usage:", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, nil, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr %q; want %q", errOut, tc.stderr)
			}
			if tc.noStdout != "" && strings.Contains(out, tc.noStdout) {
				t.Errorf("stdout has %q:\n%s", tc.noStdout, out)
			}
		})
	}
}

func TestProfileShowJSONNamesEachSource(t *testing.T) {
	cfg := t.TempDir()
	user := filepath.Join(cfg, "apuri", "profile.toml")
	if err := os.MkdirAll(filepath.Dir(user), 0o755); err != nil {
		t.Fatal(err)
	}
	// Line 4 sets the phone; an empty interfaces list gives way to the default patterns.
	data := "schema = 1\n\n[support]\nphone = \"0100 00000\"\n\n[vpn]\ninterfaces = []\n"
	if err := os.WriteFile(user, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	t.Setenv("LANGUAGE", "en")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", cfg)
	code := Main(Env{Stdout: &out, Stderr: &strings.Builder{}}, []string{"profile", "show", "--json"})
	if code != program.ExitOK {
		t.Fatalf("exit %d", code)
	}
	var got showJSON
	if err := json.Unmarshal([]byte(out.String()), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if got.Source.Kind != profile.SourceUser || got.Source.Path != user || got.Problems == nil {
		t.Errorf("source %+v problems %v; want the user file and an empty problem list", got.Source, got.Problems)
	}
	byKey := map[string]valueJSON{}
	for _, v := range got.Values {
		byKey[v.Key] = v
	}
	tests := []struct {
		name, key, origin string
		line              int
		value             any
	}{
		{"set in the file", "support.phone", profile.SourceUser, 4, "0100 00000"},
		{"left out", "thresholds.uptime_days", originDefault, 0, float64(14)},
		{"duration default", "timeouts.check", originDefault, 0, "2s"},
		{"empty list replaced by the default", "vpn.interfaces", originDefault, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := byKey[tc.key]
			if !ok {
				t.Fatalf("no value for %s", tc.key)
			}
			if v.Origin != tc.origin || v.Line != tc.line {
				t.Errorf("%s: origin %q line %d; want %q line %d", tc.key, v.Origin, v.Line, tc.origin, tc.line)
			}
			if tc.origin != originDefault && v.File != user {
				t.Errorf("%s: file %q; want %q", tc.key, v.File, user)
			}
			if tc.value != nil && v.Value != tc.value {
				t.Errorf("%s: value %#v; want %#v", tc.key, v.Value, tc.value)
			}
		})
	}
}

func TestProfileShowJSONListsSkippedSources(t *testing.T) {
	bad := filepath.Join("..", "profile", "testdata", "bad", "ftp_url.toml")
	code, out, _ := run(t, nil, "profile", "show", "--json", "--profile", bad)
	if code != program.ExitUsage {
		t.Errorf("exit %d, want 2", code)
	}
	var got showJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Source.Kind != profile.SourceEmbedded || len(got.Problems) != 1 || got.Problems[0].Line == 0 || got.Problems[0].Message == "" {
		t.Errorf("got source %+v problems %+v; want the embedded default and the flag file's problem", got.Source, got.Problems)
	}
}
