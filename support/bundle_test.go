package support

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

var fixedNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// normalReport is a report as a real diagnosis makes it: every check, details, a few log
// lines each, one failing service.
func normalReport() *diagnostics.Report {
	var checks []diagnostics.Result
	add := func(id string, g diagnostics.Group, s diagnostics.Status, msg i18n.Message, details map[string]any, logs ...string) {
		checks = append(checks, diagnostics.Result{ID: id, Group: g, Status: s, Message: msg,
			Details: details, DurationMS: 12, Log: logs})
	}
	add(diagnostics.IDInterfaces, diagnostics.GroupNetwork, diagnostics.StatusOK, i18n.Msg("check.interfaces.ok", "name", "wlan0"),
		map[string]any{"interfaces": []any{map[string]any{"name": "wlan0", "mac": "3c:22:fb:12:34:56", "addresses": []any{"192.168.44.10/24", "fe80::3e22:fbff:fe12:3456/64"}, "up": true}}},
		"wlan0 up, 2 addresses", "lo skipped")
	add(diagnostics.IDGateway, diagnostics.GroupNetwork, diagnostics.StatusOK, i18n.Msg("check.gateway.ok", "gateway", "192.168.44.1"),
		map[string]any{"gateway": "192.168.44.1", "rtt_ms": 3.2}, "ping 192.168.44.1: 3 of 3 answered")
	add(diagnostics.IDDNS, diagnostics.GroupNetwork, diagnostics.StatusOK, i18n.Msg("check.dns.ok", "names", 2),
		map[string]any{"servers": []any{"192.168.44.1", "127.0.0.53"}, "names": []any{"detectportal.firefox.com", "suomi.fi"}},
		"127.0.0.53: detectportal.firefox.com A 34.107.221.82 in 8 ms", "192.168.44.1: suomi.fi A 51.105.0.1 in 11 ms")
	add(diagnostics.IDInternet, diagnostics.GroupNetwork, diagnostics.StatusOK, i18n.Msg("check.internet.ok"),
		map[string]any{"url": "http://detectportal.firefox.com/success.txt", "status": 200}, "GET http://detectportal.firefox.com/success.txt: 200 in 41 ms")
	add(diagnostics.IDVPNTunnel, diagnostics.GroupVPN, diagnostics.StatusOK, i18n.Msg("check.vpn.ok", "name", "tun0"),
		map[string]any{"interface": "tun0", "addresses": []any{"10.20.30.40/32"}}, "tun0 up")
	add(diagnostics.IDVPNInternal, diagnostics.GroupVPN, diagnostics.StatusOK, i18n.Msg("check.vpn_internal.ok", "hosts", 1),
		map[string]any{"hosts": []any{"intra.example.org:443"}}, "intra.example.org:443 connected via 10.20.30.40 in 22 ms")
	add("service.intranet", diagnostics.GroupService, diagnostics.StatusFail, i18n.Msg("check.service.status", "status", 503),
		map[string]any{"url": "https://intra.example.org/", "status": 503, "latency_ms": 120, "via_vpn": true},
		"GET https://intra.example.org/: 503 Service Unavailable", "server: nginx", "retry-after: 120")
	add("service.mail", diagnostics.GroupService, diagnostics.StatusOK, i18n.Msg("check.service.ok", "ms", 80),
		map[string]any{"url": "https://mail.example.org/", "status": 200}, "GET https://mail.example.org/: 200")
	for _, id := range []string{diagnostics.IDCPU, diagnostics.IDMemory, diagnostics.IDDisk, diagnostics.IDUptime, diagnostics.IDClock} {
		add(id, diagnostics.GroupSystem, diagnostics.StatusOK, i18n.Msg("check.timeout", "seconds", 2),
			map[string]any{"percent": 42.5, "path": "/home/mmeikalainen"}, id+" measured")
	}
	return &diagnostics.Report{Schema: diagnostics.ReportSchema, StartedAt: fixedNow, DurationMS: 812,
		Host:   diagnostics.Host{OS: "linux", Platform: "debian 12", UptimeS: 86400},
		Checks: checks, Verdict: diagnostics.Decide(checks)}
}

func testProfile() *profile.Profile {
	p := profile.Default()
	p.Organisation.Name = "Example Agency"
	p.Support = profile.Support{PortalName: "TOP", PortalURL: "https://support.example.org/",
		NewRequestURL: "https://support.example.org/new?title={summary}&text={description}&cat={category}&file={bundle}",
		Phone:         "0295 000 000", PhoneHours: "Mon–Fri 8–16", Email: "support@example.org", FeedbackDays: 5}
	p.VPN.InternalHosts = []string{"intra.example.org:443"}
	p.Services = []profile.Service{{Name: "intranet", URL: "https://intra.example.org/", ViaVPN: true},
		{Name: "mail", URL: "https://mail.example.org/"}}
	return p
}

func unzipAll(t testing.TB, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

func TestBundleFilesAndManifest(t *testing.T) {
	id := testIdentity()
	b, err := BuildBundle(BundleInput{Report: normalReport(), Profile: testProfile(), ProfileSource: "system",
		Lang: "fi", Identity: &id, Getenv: func(string) string { return "" }, Now: func() time.Time { return fixedNow },
		Version: "1.2.3", Timeline: func() ([]byte, error) {
			return []byte(`{"time":"2026-11-25T09:58:00Z","event":"lost","cause":"service_down"}` + "\n" +
				`{"time":"2026-11-25T09:59:00Z","event":"restored","cause":"healthy"}` + "\n"), nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "apuri-diagnostics-20261125-100000.zip" {
		t.Errorf("name %q", b.Name)
	}
	files := unzipAll(t, b.Data)
	for _, name := range []string{FileManifest, FileReportJSON, FileReportText, FileSystem, FileProfile, FileLog, FileTimeline} {
		if _, ok := files[name]; !ok {
			t.Errorf("bundle lacks %s (has %v)", name, keys(files))
		}
	}
	manifest := files[FileManifest]
	for name, text := range files {
		if name == FileManifest {
			continue
		}
		sum := sha256.Sum256([]byte(text))
		line := fmt.Sprintf("%s  %d  %s", hex.EncodeToString(sum[:]), len(text), name)
		if !strings.Contains(manifest, line) {
			t.Errorf("MANIFEST lacks %q:\n%s", line, manifest)
		}
	}
	for _, want := range []string{"version: 1.2.3", "created: 2026-11-25T10:00:00Z", "ip: ", "mac: 1", "total: "} {
		if !strings.Contains(manifest, want) {
			t.Errorf("MANIFEST lacks %q:\n%s", want, manifest)
		}
	}
	if !strings.Contains(files[FileReportText], "Palvelu Intranet") {
		t.Errorf("report.txt is not the localized report:\n%s", files[FileReportText])
	}
	if !strings.Contains(files[FileReportJSON], `"id": "service.intranet"`) {
		t.Errorf("report.json lost the check IDs:\n%s", files[FileReportJSON])
	}
	if !strings.Contains(files[FileReportJSON], "intra.example.org") {
		t.Error("a host the profile names was pseudonymised; support needs to see its own services")
	}
	if !strings.Contains(files[FileTimeline], `"event":"lost"`) {
		t.Errorf("timeline: %s", files[FileTimeline])
	}
	// The same address has the same pseudonym in every file.
	if !strings.Contains(files[FileReportJSON], "ip-1") || !strings.Contains(files[FileLog], "ping ip-2:") || !strings.Contains(files[FileReportJSON], `"gateway": "ip-2"`) {
		t.Errorf("pseudonyms differ between files:\n%s\n%s", files[FileReportJSON], files[FileLog])
	}
	if got := b.Files[0].Redactions; len(got) == 0 {
		t.Error("the preview shows no redactions for report.json")
	}
}

func TestBundleWithoutOptionalSources(t *testing.T) {
	id := Identity{}
	b, err := BuildBundle(BundleInput{Report: normalReport(), Identity: &id, Getenv: func(string) string { return "" },
		Timeline: func() ([]byte, error) { return nil, nil }})
	if err != nil {
		t.Fatal(err)
	}
	files := unzipAll(t, b.Data)
	if _, ok := files[FileTimeline]; ok {
		t.Error("an empty timeline must leave the file out")
	}
	if _, ok := files[FileProfile]; ok {
		t.Error("no profile, no profile.toml")
	}
	if _, err := BuildBundle(BundleInput{}); err == nil {
		t.Error("a bundle without a report must fail")
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestNormalBundleIsSmall(t *testing.T) {
	id := testIdentity()
	logs := strings.Repeat("2026-11-25T09:59:00Z INFO diagnosis finished cause=service_down checks=13 duration=812ms\n", 400)
	b, err := BuildBundle(BundleInput{Report: normalReport(), Profile: testProfile(), Identity: &id,
		Logs: func() ([]byte, error) { return []byte(logs), nil }})
	if err != nil {
		t.Fatal(err)
	}
	if b.Size() >= 200<<10 {
		t.Errorf("a normal bundle is %d bytes; the goal is under 200 KB", b.Size())
	}
}

func BenchmarkBundle(b *testing.B) {
	id := testIdentity()
	r, p := normalReport(), testProfile()
	logs := []byte(strings.Repeat("2026-11-25T09:59:00Z INFO GET https://intra.example.org/ from 192.168.44.10: 503\n", 300))
	var size int
	for b.Loop() {
		bundle, err := BuildBundle(BundleInput{Report: r, Profile: p, Identity: &id, Lang: "fi",
			Logs: func() ([]byte, error) { return logs, nil }})
		if err != nil {
			b.Fatal(err)
		}
		size = bundle.Size()
	}
	b.ReportMetric(float64(size), "zip-bytes")
}
