package profile

import (
	"os"
	"path/filepath"

	"github.com/apuri-project/apuri/assets"
	"github.com/apuri-project/apuri/policy"
)

// Where a profile came from.
const (
	SourceFlag     = "flag"
	SourcePolicy   = "policy"
	SourceUser     = "user"
	SourceSystem   = "system"
	SourceEmbedded = "embedded"
)

// Source says where the profile in use came from, for the UI and the logs.
type Source struct {
	Kind string // SourceFlag, SourcePolicy, SourceUser, SourceSystem or SourceEmbedded
	Path string // empty for the embedded default
}

// Loaded is the profile in use, where it came from, and the problems of the sources that were
// passed over because they were broken: the UI shows them, the app keeps running.
type Loaded struct {
	Profile  *Profile
	Source   Source
	Problems []Problem
}

// Locations are the policy's, the per-user and the system-wide profile paths; empty means
// "none". They are a value so tests can point them at temporary directories.
type Locations struct {
	// Policy is the path the organisation's policy sets (policy.ValueProfilePath).
	Policy string
	User   string
	System string
}

// DefaultLocations are the real paths: the policy's, the user's config dir and the
// admin-managed path. A policy that cannot be read counts as none; the agent reports it.
func DefaultLocations() Locations {
	var l Locations
	p, _ := policy.Read()
	l.Policy = p.ProfilePath
	if dir, err := os.UserConfigDir(); err == nil {
		l.User = filepath.Join(dir, "apuri", "profile.toml")
	}
	l.System = systemPath()
	return l
}

// Resolve finds the profile to use from the real locations; see Locations.Resolve.
func Resolve(flagPath string) Loaded { return DefaultLocations().Resolve(flagPath) }

// Resolve tries the --profile file, then the policy's file, then the user's file, then the
// system-wide file, and falls back to the embedded default. Where a policy names a file the
// user's own is never read: the organisation has decided. A user or system file that does
// not exist is skipped quietly; a broken one, or a --profile or policy file that is missing
// or broken, is skipped with its problems kept. It never fails.
func (l Locations) Resolve(flagPath string) Loaded {
	var out Loaded
	user := l.User
	if l.Policy != "" {
		user = ""
	}
	for _, src := range []Source{{SourceFlag, flagPath}, {SourcePolicy, l.Policy}, {SourceUser, user}, {SourceSystem, l.System}} {
		if src.Path == "" {
			continue
		}
		p, missing, err := load(src.Path)
		if err == nil {
			out.Profile, out.Source = p, src
			return out
		}
		if missing && src.Kind != SourceFlag && src.Kind != SourcePolicy {
			continue
		}
		out.Problems = append(out.Problems, problemsOf(err)...)
	}
	out.Profile, out.Source = Default(), Source{Kind: SourceEmbedded}
	return out
}

func problemsOf(err error) []Problem {
	if errs, ok := err.(Errors); ok {
		return errs
	}
	return []Problem{{Code: CodeInvalid, Args: map[string]any{"error": err.Error()}}}
}

// DefaultName is the file name the embedded default's problems would carry.
const DefaultName = "default.toml"

// Default is the embedded default profile, a fresh copy each time. It always parses; a test
// proves it, so a failure here is a broken build.
func Default() *Profile {
	p, err := Parse(DefaultName, assets.DefaultProfile)
	if err != nil {
		panic("embedded default profile: " + err.Error())
	}
	return p
}
