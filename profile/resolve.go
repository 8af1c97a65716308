package profile

import (
	"os"
	"path/filepath"

	"github.com/apuri-project/apuri/assets"
)

// Where a profile came from.
const (
	SourceFlag     = "flag"
	SourceUser     = "user"
	SourceSystem   = "system"
	SourceEmbedded = "embedded"
)

// Source says where the profile in use came from, for the UI and the logs.
type Source struct {
	Kind string // SourceFlag, SourceUser, SourceSystem or SourceEmbedded
	Path string // empty for the embedded default
}

// Loaded is the profile in use, where it came from, and the problems of the sources that were
// passed over because they were broken: the UI shows them, the app keeps running.
type Loaded struct {
	Profile  *Profile
	Source   Source
	Problems []Problem
}

// Locations are the per-user and system-wide profile paths; empty means "none". They are a
// value so tests can point them at temporary directories.
type Locations struct {
	User   string
	System string
}

// DefaultLocations are the real paths: the user's config dir and the admin-managed path.
func DefaultLocations() Locations {
	var l Locations
	if dir, err := os.UserConfigDir(); err == nil {
		l.User = filepath.Join(dir, "apuri", "profile.toml")
	}
	l.System = systemPath()
	return l
}

// Resolve finds the profile to use from the real locations; see Locations.Resolve.
func Resolve(flagPath string) Loaded { return DefaultLocations().Resolve(flagPath) }

// Resolve tries the --profile file, then the user's file, then the system-wide file, and
// falls back to the embedded default. A user or system file that does not exist is skipped
// quietly; a broken one, or a --profile file that is missing or broken, is skipped with its
// problems kept. It never fails.
func (l Locations) Resolve(flagPath string) Loaded {
	var out Loaded
	for _, src := range []Source{{SourceFlag, flagPath}, {SourceUser, l.User}, {SourceSystem, l.System}} {
		if src.Path == "" {
			continue
		}
		p, missing, err := load(src.Path)
		if err == nil {
			out.Profile, out.Source = p, src
			return out
		}
		if missing && src.Kind != SourceFlag {
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
