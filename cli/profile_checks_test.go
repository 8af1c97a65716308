package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/internal/program"
)

// TestProfileCheckNamesTheCustomCheck: a problem in [[checks]] names the check by its ID, in the
// user's language, in the text and in the JSON.
func TestProfileCheckNamesTheCustomCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profile.toml")
	data := "schema = 1\n\n[[checks]]\nid = \"printer\"\ntitle = \"Printer queue\"\nkind = \"command\"\nrun = [\"sudo\", \"lpstat\"]\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, nil, "profile", "check", path, "--lang", "fi")
	if code != program.ExitUsage || !strings.Contains(stderr, "profile.toml:7: checks[0].run (custom.printer): ”sudo lpstat” ajettaisiin toisena käyttäjänä") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	code, stdout, _ := run(t, nil, "profile", "check", path, "--json")
	var got struct {
		Problems []struct{ Key, Check, Code string }
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != program.ExitUsage {
		t.Fatalf("exit %d, %v:\n%s", code, err, stdout)
	}
	if len(got.Problems) != 1 || got.Problems[0].Check != "printer" || got.Problems[0].Code != "bad_command.elevates" {
		t.Errorf("problems %+v", got.Problems)
	}
}
