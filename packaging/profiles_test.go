// Package packaging holds what administrators deploy beside the programs; its tests prove that
// the example profiles an administrator starts from are valid.
package packaging

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/cli"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

var examples = []struct {
	name, file string
}{
	{"generic", "generic.toml"},
	{"valtori customer", "valtori-customer.toml"},
}

func TestExampleProfilesLoad(t *testing.T) {
	for _, tc := range examples {
		t.Run(tc.name, func(t *testing.T) {
			p, err := profile.Load(filepath.Join("profiles", tc.file))
			if err != nil {
				t.Fatalf("problems:\n%v", err)
			}
			if p.Organisation.Name == "" || len(p.Links) == 0 || len(p.Services) == 0 || !p.VPN.Required {
				t.Errorf("%s: an example must show organisation, links, services and the VPN; got %+v", tc.file, p)
			}
		})
	}
}

func TestExampleProfilesPassProfileCheck(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, tc := range examples {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			env := cli.Env{Stdout: &out, Stderr: &errOut,
				Diagnose: func(context.Context, *profile.Profile, func(diagnostics.Event)) *diagnostics.Report {
					t.Fatal("profile check must not diagnose")
					return nil
				}}
			code := cli.Main(env, []string{"profile", "check", filepath.Join("profiles", tc.file)})
			if code != program.ExitOK || !strings.Contains(out.String(), "valid") {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0 and valid", code, out.String(), errOut.String())
			}
		})
	}
}

// The Valtori example must not carry real-looking internal addresses: everything but the public
// learning platform is a placeholder.
func TestValtoriExampleUsesPlaceholders(t *testing.T) {
	p, err := profile.Load(filepath.Join("profiles", "valtori-customer.toml"))
	if err != nil {
		t.Fatal(err)
	}
	public := map[string]bool{"www.eoppiva.fi": true, "detectportal.firefox.com": true, "suomi.fi": true}
	var urls []string
	for _, l := range p.Links {
		urls = append(urls, l.URL)
	}
	for _, s := range p.Services {
		urls = append(urls, s.URL, s.LogoutURL, s.InstructionsURL)
	}
	for _, c := range p.Checks {
		urls = append(urls, c.URL)
	}
	urls = append(urls, p.Support.PortalURL, p.Support.NewRequestURL, p.Support.InstructionsURL,
		p.Network.InternetURL, p.Disruptions.FeedURL)
	hosts := append([]string(nil), p.VPN.InternalHosts...)
	for _, u := range urls {
		if u == "" {
			continue
		}
		host, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), "/")
		hosts = append(hosts, host)
	}
	for _, h := range hosts {
		name, _, _ := strings.Cut(h, ":")
		if !public[name] && !strings.HasSuffix(name, ".invalid") && !strings.HasSuffix(name, ".example.org") {
			t.Errorf("%s is neither public nor a placeholder", h)
		}
	}
}

// TestGenericExampleShowsEveryCheckKey: the generic example is where an administrator learns
// [[checks]], so it writes every key and every kind at least once.
func TestGenericExampleShowsEveryCheckKey(t *testing.T) {
	path := filepath.Join("profiles", "generic.toml")
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, c := range p.Checks {
		kinds[c.Kind] = true
	}
	for _, k := range profile.CheckKinds {
		if !kinds[k] {
			t.Errorf("no check of kind %s", k)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, checks, _ := strings.Cut(string(data), "[[checks]]")
	ct := reflect.TypeFor[profile.CustomCheck]()
	for i := range ct.NumField() {
		key, _, _ := strings.Cut(ct.Field(i).Tag.Get("toml"), ",")
		if !regexp.MustCompile(`(?m)^` + key + ` +=`).MatchString(checks) {
			t.Errorf("the [[checks]] of %s never write %s", path, key)
		}
	}
}

// The examples show [fleet] and alertmanager_url commented out, since sharing is a decision to
// take deliberately; uncommented, they must be a valid profile.
func TestExampleFleetBlocksAreValidUncommented(t *testing.T) {
	for _, tc := range examples {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("profiles", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, l := range strings.Split(string(data), "\n") {
				if strings.HasPrefix(l, "#[fleet]") || strings.HasPrefix(l, "#alertmanager_url") ||
					(strings.HasPrefix(l, "#") && strings.Contains(l, " = ") && !strings.HasPrefix(l, "# ")) {
					l = strings.TrimPrefix(l, "#")
				}
				lines = append(lines, l)
			}
			p, err := profile.Parse(tc.file, []byte(strings.Join(lines, "\n")))
			if err != nil {
				t.Fatalf("uncommented: %v", err)
			}
			if !p.Fleet.Enabled() || p.Fleet.Site != profile.SiteAuto || len(p.Fleet.SiteDomains) == 0 ||
				p.Disruptions.AlertmanagerURL == "" {
				t.Errorf("the uncommented example lacks a key: %+v %q", p.Fleet, p.Disruptions.AlertmanagerURL)
			}
		})
	}
}
