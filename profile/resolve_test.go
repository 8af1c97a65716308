package profile_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apuri-project/apuri/profile"
)

// TestResolve proves the look-up order and that broken sources are passed over with their
// problems kept, while missing user and system files are passed over quietly.
func TestResolve(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	flag := write("flag.toml", "schema = 1\norganisation.name = \"flag\"\n")
	user := write("user.toml", "schema = 1\norganisation.name = \"user\"\n")
	system := write("system.toml", "schema = 1\norganisation.name = \"system\"\n")
	policyFile := write("policy.toml", "schema = 1\norganisation.name = \"policy\"\n")
	broken := write("broken.toml", "schema = 1\nsupport.portal_url = \"ftp://x\"\n")
	missing := filepath.Join(dir, "missing.toml")

	tests := []struct {
		name                       string
		flag, policy, user, system string
		wantKind, wantPath         string
		wantOrg                    string
		wantProblems               []string // "file code"
	}{
		{"flag first", flag, "", user, system, profile.SourceFlag, flag, "flag", nil},
		{"user before system", "", "", user, system, profile.SourceUser, user, "user", nil},
		{"broken user falls to system", "", "", broken, system, profile.SourceSystem, system, "system",
			[]string{broken + " not_web_url"}},
		{"missing user skipped quietly", "", "", missing, system, profile.SourceSystem, system, "system", nil},
		{"missing flag is reported", missing, "", user, system, profile.SourceUser, user, "user",
			[]string{missing + " unreadable"}},
		{"broken flag is reported", broken, "", "", system, profile.SourceSystem, system, "system",
			[]string{broken + " not_web_url"}},
		{"user directory is not a file", "", "", dir, system, profile.SourceSystem, system, "system",
			[]string{dir + " unreadable"}},
		{"policy before user", "", policyFile, user, system, profile.SourcePolicy, policyFile, "policy", nil},
		{"flag before policy", flag, policyFile, user, system, profile.SourceFlag, flag, "flag", nil},
		{"missing policy file is reported, the user's is not read", "", missing, user, system,
			profile.SourceSystem, system, "system", []string{missing + " unreadable"}},
		{"broken policy file is reported", "", broken, user, "", profile.SourceEmbedded, "", "",
			[]string{broken + " not_web_url"}},
		{"nothing there", "", "", missing, missing, profile.SourceEmbedded, "", "", nil},
		{"no locations", "", "", "", "", profile.SourceEmbedded, "", "", nil},
		{"everything broken", broken, "", broken, broken, profile.SourceEmbedded, "", "",
			[]string{broken + " not_web_url", broken + " not_web_url", broken + " not_web_url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := profile.Locations{Policy: tt.policy, User: tt.user, System: tt.system}.Resolve(tt.flag)
			if got.Profile == nil {
				t.Fatal("no profile")
			}
			if got.Source.Kind != tt.wantKind || got.Source.Path != tt.wantPath || got.Profile.Organisation.Name != tt.wantOrg {
				t.Errorf("source %+v, organisation %q; want %s %s %q",
					got.Source, got.Profile.Organisation.Name, tt.wantKind, tt.wantPath, tt.wantOrg)
			}
			var problems []string
			for _, p := range got.Problems {
				problems = append(problems, p.File+" "+p.Code)
			}
			if !slices.Equal(problems, tt.wantProblems) {
				t.Errorf("problems %q, want %q", problems, tt.wantProblems)
			}
		})
	}
}

func TestDefaultLocations(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/config")
	t.Setenv("HOME", "/home/matti")
	t.Setenv("AppData", `C:\Users\matti\AppData\Roaming`)
	l := profile.DefaultLocations()
	dir, err := os.UserConfigDir()
	if err != nil {
		t.Skip("no user config dir here:", err)
	}
	if want := filepath.Join(dir, "apuri", "profile.toml"); l.User != want {
		t.Errorf("user path %q, want %q", l.User, want)
	}
	if filepath.Base(l.System) != "profile.toml" {
		t.Errorf("system path %q", l.System)
	}
}
