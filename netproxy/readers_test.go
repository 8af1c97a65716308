package netproxy

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		want Config
	}{
		{"nothing", nil, Config{From: SourceNone}},
		{"upper case", map[string]string{"HTTP_PROXY": "http://p:3128", "NO_PROXY": "intra.fi,.lan"},
			Config{From: SourceEnv, HTTP: "http://p:3128", Bypass: []string{"intra.fi", ".lan"}}},
		{"lower case", map[string]string{"https_proxy": "p:8080", "no_proxy": "x"},
			Config{From: SourceEnv, HTTPS: "p:8080", Bypass: []string{"x"}}},
		{"NO_PROXY alone says nothing", map[string]string{"NO_PROXY": "x"}, Config{From: SourceNone}},
	}
	for _, tt := range tests {
		if got := fromEnv(env(tt.vars)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// gsettingsManual is what `gsettings list-recursively org.gnome.system.proxy` prints for a
// manual proxy (GLib 2.74).
const gsettingsManual = `org.gnome.system.proxy autoconfig-url ''
org.gnome.system.proxy ignore-hosts ['localhost', '127.0.0.0/8', '::1', '*.intra.example.fi', 'it\'s']
org.gnome.system.proxy mode 'manual'
org.gnome.system.proxy use-same-proxy true
org.gnome.system.proxy.ftp host ''
org.gnome.system.proxy.ftp port 0
org.gnome.system.proxy.http authentication-password ''
org.gnome.system.proxy.http authentication-user ''
org.gnome.system.proxy.http enabled false
org.gnome.system.proxy.http host 'proxy.example.fi'
org.gnome.system.proxy.http port 3128
org.gnome.system.proxy.http use-authentication false
org.gnome.system.proxy.https host ''
org.gnome.system.proxy.https port 0
org.gnome.system.proxy.socks host ''
org.gnome.system.proxy.socks port 0
`

func TestParseGNOME(t *testing.T) {
	got := parseGNOME(gsettingsManual)
	want := Config{From: SourceGNOME, HTTP: "proxy.example.fi:3128", HTTPS: "proxy.example.fi:3128",
		Bypass: []string{"localhost", "127.0.0.0/8", "::1", ".intra.example.fi", "it's"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("manual: got %+v, want %+v", got, want)
	}
	auto := "org.gnome.system.proxy mode 'auto'\norg.gnome.system.proxy autoconfig-url 'http://pac.example.fi/proxy.pac'\n"
	if got := parseGNOME(auto); got.PACURL != "http://pac.example.fi/proxy.pac" || got.AutoDetect || got.From != SourceGNOME {
		t.Errorf("auto: %+v", got)
	}
	wpad := "org.gnome.system.proxy mode 'auto'\norg.gnome.system.proxy autoconfig-url ''\n"
	if got := parseGNOME(wpad); !got.AutoDetect || got.PACURL != "" {
		t.Errorf("auto without a URL: %+v", got)
	}
	for _, none := range []string{"", "org.gnome.system.proxy mode 'none'\norg.gnome.system.proxy.http host 'p'\n"} {
		if got := parseGNOME(none); got.From != SourceNone {
			t.Errorf("%q: %+v", none, got)
		}
	}
	if got := gvariantStrings("@as []"); len(got) != 0 {
		t.Errorf("empty array: %q", got)
	}
}

func TestParseKDE(t *testing.T) {
	manual := `[Proxy Settings]
NoProxyFor=localhost,.intra.example.fi
ProxyType=1
httpProxy=http://proxy.example.fi 3128
httpsProxy[$e]=http://proxy.example.fi:$PORT
`
	got := parseKDE([]byte(manual), env(map[string]string{"PORT": "3129"}))
	want := Config{From: SourceKDE, HTTP: "http://proxy.example.fi:3128", HTTPS: "http://proxy.example.fi:3129",
		Bypass: []string{"localhost", ".intra.example.fi"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("manual: got %+v, want %+v", got, want)
	}
	pac := "[Proxy Settings]\nProxyType=2\nProxy Config Script=http://pac.example.fi/p.pac\n"
	if got := parseKDE([]byte(pac), env(nil)); got.PACURL != "http://pac.example.fi/p.pac" {
		t.Errorf("script: %+v", got)
	}
	if got := parseKDE([]byte("[Proxy Settings]\nProxyType=3\n"), env(nil)); !got.AutoDetect {
		t.Errorf("wpad: %+v", got)
	}
	envType := "[Proxy Settings]\nProxyType=4\nhttpProxy=HTTP_PROXY\n"
	if got := parseKDE([]byte(envType), env(map[string]string{"HTTP_PROXY": "p:1"})); got.HTTP != "p:1" {
		t.Errorf("environment names: %+v", got)
	}
	for _, none := range []string{"[Proxy Settings]\nProxyType=0\nhttpProxy=http://p 1\n", "[Other]\nProxyType=1\n", "not ini ["} {
		if got := parseKDE([]byte(none), env(nil)); got.From != SourceNone {
			t.Errorf("%q: %+v", none, got)
		}
	}
}

func TestReadKDEFollowsXDGConfigHome(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kioslaverc"), []byte("[Proxy Settings]\nProxyType=1\nhttpProxy=p 8\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := readKDE(env(map[string]string{"XDG_CONFIG_HOME": dir})); got.HTTP != "p:8" {
		t.Errorf("got %+v", got)
	}
	if got := readKDE(env(map[string]string{"HOME": dir})); got.From != SourceNone {
		t.Errorf("a file outside ~/.config was read: %+v", got)
	}
}

func TestParseScutil(t *testing.T) {
	out := `<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
    1 : 169.254/16
  }
  ExcludeSimpleHostnames : 1
  HTTPEnable : 1
  HTTPPort : 8080
  HTTPProxy : proxy.example.fi
  HTTPSEnable : 0
}`
	got := parseScutil(out)
	want := Config{From: SourceMacOS, HTTP: "proxy.example.fi:8080", Bypass: []string{".local", "169.254/16"}, BypassPlain: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	pac := "<dictionary> {\n  ProxyAutoConfigEnable : 1\n  ProxyAutoConfigURLString : http://pac/p.pac\n}"
	if got := parseScutil(pac); got.PACURL != "http://pac/p.pac" {
		t.Errorf("pac: %+v", got)
	}
}

func TestWindowsSettings(t *testing.T) {
	got := winIEConfig{Proxy: "http=p:80;https=q:443", Bypass: "<local>;*.intra.example.fi"}.configOf()
	want := Config{From: SourceWindows, HTTP: "p:80", HTTPS: "q:443", Bypass: []string{".intra.example.fi"}, BypassPlain: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := (winIEConfig{Proxy: "p:8080"}).configOf(); got.HTTP != "p:8080" || got.HTTPS != "p:8080" {
		t.Errorf("one proxy for all: %+v", got)
	}
	if got := (winIEConfig{AutoDetect: true, Proxy: "p:1"}).configOf(); !got.AutoDetect {
		t.Errorf("auto-detect: %+v", got)
	}
	if got := winProxyAnswer(false, "p:80;q:81"); got != "PROXY p:80; PROXY q:81" {
		t.Errorf("answer %q", got)
	}
	if got := winProxyAnswer(true, "p:80"); got != "DIRECT" {
		t.Errorf("direct answer %q", got)
	}
}

func TestWPADCandidates(t *testing.T) {
	conf := "nameserver 10.0.0.1\ndomain ad.example.fi\nsearch ad.example.fi example.fi lan\n"
	want := []string{"http://wpad.ad.example.fi/wpad.dat", "http://wpad.example.fi/wpad.dat"}
	if got := wpadCandidates([]byte(conf)); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDesktopOrder(t *testing.T) {
	gnome := func() Config { return Config{From: SourceGNOME} }
	kde := func() Config { return Config{From: SourceKDE} }
	for current, first := range map[string]Source{"KDE": SourceKDE, "ubuntu:GNOME": SourceGNOME, "": SourceGNOME, "X-Cinnamon": SourceGNOME} {
		if got := desktopOrder(current, gnome, kde)[0]().From; got != first {
			t.Errorf("%q: %s first, want %s", current, got, first)
		}
	}
}
