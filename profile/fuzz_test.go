package profile_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/assets"
	"github.com/apuri-project/apuri/profile"
)

// FuzzParse: Parse never panics; what it accepts validates; what it rejects it explains with
// known codes at lines inside the file.
func FuzzParse(f *testing.F) {
	f.Add(assets.DefaultProfile)
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.toml"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := profile.Parse("fuzz.toml", data)
		if err == nil {
			if p == nil {
				t.Fatal("no profile and no error")
			}
			if err := p.Validate(); err != nil {
				t.Fatalf("accepted a profile that does not validate: %v", err)
			}
			return
		}
		var errs profile.Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error is not Errors: %v", err)
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, pr := range errs {
			if pr.File != "fuzz.toml" || pr.Line < 0 || pr.Line > lines || !slices.Contains(profile.Codes, pr.Code) {
				t.Fatalf("bad problem %+v in a file of %d lines", pr, lines)
			}
			_ = pr.Error()
		}
	})
}
