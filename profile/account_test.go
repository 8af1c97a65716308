package profile_test

import (
	"errors"
	"testing"

	"github.com/apuri-project/apuri/profile"
)

// TestPasswordKeys: the password page must be a web address and the warning between 0 and 365
// days, each problem reported on its line; left out, the warning is 14 days ahead.
func TestPasswordKeys(t *testing.T) {
	for _, tt := range []struct {
		name, toml, key, code string
		line                  int
	}{
		{"page not a web address", "schema = 1\n[support]\npassword_url = \"ftp://password.example.org/\"\n",
			"support.password_url", profile.CodeNotWebURL, 3},
		{"warning too far ahead", "schema = 1\n\n[thresholds]\npassword_warn_days = 400\n",
			"thresholds.password_warn_days", profile.CodeOutOfRange, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := profile.Parse("p.toml", []byte(tt.toml))
			var errs profile.Errors
			if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Key != tt.key || errs[0].Code != tt.code || errs[0].Line != tt.line {
				t.Fatalf("got %v, want %s %s on line %d", err, tt.key, tt.code, tt.line)
			}
		})
	}
	p, err := profile.Parse("p.toml", []byte("schema = 1\n[support]\npassword_url = \"https://password.example.org/\"\n"))
	if err != nil || p.Support.PasswordURL != "https://password.example.org/" || p.Thresholds.PasswordWarnDays != 14 {
		t.Fatalf("got %+v %v", p, err)
	}
}
