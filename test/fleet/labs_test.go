//go:build linux

package fleet_test

import (
	"context"
	"fmt"
	"html"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// The whole loop with real computers: each is the built `apuri` binary running `apuri watch`
// in a network-namespace lab of its own (internal/testsupport/lab), with the profile an
// organisation writes, sending to the stack on loopback through a relay in its lab. The labs
// break the same way, each watcher notices, the alert fires for the site, and Apuri in one lab
// tells its user, in its own words, that the disruption is known.

// labSite is the site every lab computer is at, and labComputers how many there are: the
// shipped rule's N, so the alert needs all of them, and three labs are what 2 cores carry.
const (
	labSite      = "espoo"
	labComputers = 3
)

// The stack's ports on the lab's internet host (lab.NetAddr), where the relays listen: the
// collector there stands for one the organisation reaches over the internet.
const (
	labOTLPPort         = 4318
	labAlertmanagerPort = 9093
)

// labFleetProfile is the organisation's profile of a lab computer beyond the lab's own: the
// collector, every 10 s (the least the profile allows, so the test waits for the metrics'
// interval no longer than it must), the fixed site, and the Alertmanager to read back.
const labFleetProfile = `
[disruptions]
alertmanager_url = %q
timeout = "5s"

[fleet]
otlp_endpoint = %q
site = %q
interval = "10s"
`

// labComputer is one lab with Apuri watching in its client namespace.
type labComputer struct {
	lab     *lab.Lab
	profile string // the profile's path
	watch   *lab.WatchProc
}

// needLab skips without root, iproute2 and dnsmasq, or fails under CI=true, as test/lab does.
func needLab(t *testing.T) {
	t.Helper()
	lab.Need(t)
	lab.CleanStaleAndSay("fleet")
}

// startLabComputer builds a lab, relays the stack's collector and Alertmanager into it, and
// starts `apuri watch` there, returning once the watcher says the lab is healthy. Everything
// is stopped and removed when the test ends, the watcher first.
func startLabComputer(ctx context.Context, t *testing.T, s *stack, a lab.Apuri) *labComputer {
	t.Helper()
	l, err := lab.New(ctx, lab.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("remove lab: %v", err)
		}
	})
	relay := func(port int, target string) string {
		r, err := lab.StartRelay(l.Net, net.JoinHostPort(lab.NetAddr, strconv.Itoa(port)), target)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return "http://" + r.Addr
	}
	otlp := relay(labOTLPPort, s.otlp)
	alertmanager := relay(labAlertmanagerPort, strings.TrimPrefix(s.alertmanager, "http://"))

	// The watcher's profile as test/lab has it: the shortest periodic probe, timeouts short
	// enough that a fault shows within seconds.
	o := lab.ProfileOptions{CheckTimeout: time.Second, Total: 2 * time.Second}
	text := lab.WatchProfileTOML(o, 5*time.Second) + fmt.Sprintf(labFleetProfile, alertmanager, otlp, labSite)
	path := filepath.Join(l.Dir, "fleet-profile.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := a.Watch(ctx, l.Client, path, "--verbose")
	if err != nil {
		t.Fatal(err)
	}
	c := &labComputer{lab: l, profile: path, watch: w}
	t.Cleanup(func() {
		w.Close()
		if t.Failed() {
			var b strings.Builder
			for _, line := range w.Seen() {
				fmt.Fprintf(&b, "%s  %s\n", line.Read.Format("15:04:05.000"), line.Raw)
			}
			t.Logf("apuri watch in %s printed:\n%sstderr: %s", l.Client, b.String(), lastLines(w.Stderr(), 40))
		}
	})
	started, err := w.Next(time.Until(deadline(ctx)), func(l lab.WatchLine) bool { return l.Event == "started" })
	if err != nil || started.Cause != "healthy" {
		t.Fatalf("the watcher in %s starts %q: %v", l.Client, started.Raw, err)
	}
	return c
}

// deadline is ctx's deadline; the test's context always has one.
func deadline(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// waitFor waits for cond within the test's bound, naming what never happened.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	if err := poll.Wait(ctx, cond); err != nil {
		t.Fatalf("gave up waiting for %s: %v", what, err)
	}
}

// TestLabComputersRaiseTheAlertApuriShows: three real Apuri watchers, each in a lab of its own
// at site espoo, lose their VPN the same way. Each notices and says vpn_down; its exporter
// sends the loss to the collector; ApuriSiteDisruption fires for espoo and vpn_down with
// affected = 3; and `apuri diagnose` and `apuri report --html` in one of the labs, with the
// same profile, show the disruption as known, detected automatically from 3 computers, in the
// verdict and in the self-help ladder, in English and Finnish.
func TestLabComputersRaiseTheAlertApuriShows(t *testing.T) {
	needLab(t)
	hook := &webhookReceiver{} // the shipped receiver's address is no loopback one
	srv := httptest.NewServer(hook)
	defer srv.Close()
	s := needStack(t, stackOptions{webhook: srv.URL, groupWait: time.Second})
	dir := t.TempDir()
	bin := filepath.Join(dir, "apuri")
	if err := lab.Build(bin, "github.com/apuri-project/apuri"); err != nil {
		t.Fatal(err)
	}
	a := lab.Apuri{Bin: bin, Dir: dir}
	if tz, ok := os.LookupEnv("TZ"); ok {
		a.Env = []string{"TZ=" + tz} // the times the page writes are the test's
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	computers := make([]*labComputer, labComputers)
	for i := range computers {
		computers[i] = startLabComputer(ctx, t, s, a)
	}
	// Each computer reaches the collector through its relay before anything breaks.
	waitFor(ctx, t, "uptime from three computers at espoo in Prometheus", func() bool {
		got, err := s.query(ctx, `count(count by (host_id) (apuri_uptime_seconds{apuri_site="espoo"}))`)
		return err == nil && len(got) == 1 && got[0].Value == labComputers
	})

	// The VPN client disconnects in every lab. The path to the relays, through the lab's
	// router to its internet host, stays: the loss goes out with the exporter's next interval
	// rather than waiting in its buffer for the connection to come back.
	broken := time.Now()
	for _, c := range computers {
		if err := c.lab.DeleteTunnel(); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range computers {
		lost, err := c.watch.Next(time.Until(deadline(ctx)), func(l lab.WatchLine) bool { return l.Event == "lost" })
		if err != nil {
			t.Fatalf("the watcher in %s: %v", c.lab.Client, err)
		}
		if lost.Cause != "vpn_down" {
			t.Fatalf("the watcher in %s lost the connection for %q", c.lab.Client, lost.Raw)
		}
	}

	t.Logf("three watchers said lost %v after the tunnels went down", time.Since(broken).Round(time.Millisecond))
	var losses []sample
	waitFor(ctx, t, "three computers' losses at espoo in Prometheus", func() bool {
		var err error
		losses, err = s.query(ctx, `apuri_connectivity_events_total{apuri_event="lost", apuri_site="espoo"}`)
		return err == nil && len(losses) == labComputers
	})
	hosts := map[string]bool{}
	for _, l := range losses {
		hosts[l.Metric["host_id"]] = true
		if l.Metric["apuri_cause"] != "vpn_down" || l.Metric["service_name"] != "apuri" || l.Value != 1 {
			t.Errorf("a loss in Prometheus: %v = %v, want cause vpn_down, service apuri, 1", l.Metric, l.Value)
		}
	}
	if len(hosts) != labComputers {
		t.Errorf("three computers sent %d host IDs: %v", len(hosts), hosts)
	}

	var firing []firingAlert
	waitFor(ctx, t, "ApuriSiteDisruption for espoo in Alertmanager", func() bool {
		var err error
		firing, err = s.alerts(ctx, "ApuriSiteDisruption")
		return err == nil && len(firing) > 0
	})
	t.Logf("the alert fired %v after the tunnels went down", time.Since(broken).Round(time.Millisecond))
	if len(firing) != 1 || firing[0].Labels["apuri_site"] != labSite || firing[0].Labels["apuri_cause"] != "vpn_down" ||
		firing[0].Annotations["affected"] != "3" {
		t.Fatalf("alerts %+v, want one for espoo, vpn_down, affected 3", firing)
	}

	// Apuri in the first lab, its VPN still down, reads the alert back beside its diagnosis.
	first := computers[0]
	var run *lab.Run
	waitFor(ctx, t, "apuri diagnose in the first lab naming the detected disruption", func() bool {
		var err error
		run, err = a.Diagnose(ctx, first.lab.Client, first.profile)
		if err != nil {
			t.Logf("apuri diagnose: %v", err)
			return false
		}
		return run.Report.Verdict.KnownDisruption != nil
	})
	t.Logf("apuri diagnose named the disruption %v after the tunnels went down", time.Since(broken).Round(time.Millisecond))
	v := run.Report.Verdict
	want := lab.Detection{Site: labSite, Cause: "vpn_down", Affected: labComputers}
	if v.Cause != "vpn_down" || v.KnownDisruption.Detected == nil || *v.KnownDisruption.Detected != want {
		t.Fatalf("the verdict %s with the known disruption %+v, want vpn_down explained by %+v\n%s",
			v.Cause, v.KnownDisruption, want, run.Stdout)
	}
	if len(run.Report.Disruptions) != 1 || run.Report.Disruptions[0].Started.IsZero() {
		t.Errorf("the report's known disruptions %+v, want the one alert with its start", run.Report.Disruptions)
	}
	started := run.Report.Disruptions[0].Started.Local()
	checkLabApuriSays(ctx, t, a, first, started)
}

// checkLabApuriSays: the verdict's known disruption in the text of `apuri diagnose`, and the
// ladder's "is it only me?" step in the page of `apuri report --html`, in English and
// Finnish. The computer is one of the three counted: the others are two.
func checkLabApuriSays(ctx context.Context, t *testing.T, a lab.Apuri, c *labComputer, started time.Time) {
	t.Helper()
	says := map[string][]string{
		"en": {
			"Known disruption: Secure remote access (VPN) is not connected: detected automatically from 3 computers at your site",
			"1. This is a known disruption and user support is already working on it",
		},
		"fi": {
			"Tiedossa oleva häiriö: Turvallinen etäyhteys (VPN) ei ole päällä: havaittu automaattisesti 3 tietokoneelta toimipisteessäsi",
			"1. Kyseessä on tiedossa oleva häiriö, jota käyttäjätuki jo selvittää.",
		},
	}
	ladder := map[string]string{
		"en": "2 others at your site have lost the VPN connection since %s. It was detected automatically; no one had to report it.",
		"fi": "Toimipisteessäsi VPN-yhteys on katkennut 2 muulta %s lähtien. Se havaittiin automaattisesti, eikä kenenkään tarvinnut ilmoittaa siitä.",
	}
	for lang, lines := range says {
		run, err := a.Exec(ctx, c.lab.Client, "diagnose", "--lang", lang, "--profile", c.profile)
		if err != nil {
			t.Fatal(err)
		}
		if run.ExitCode != 1 {
			t.Errorf("apuri diagnose --lang %s exits %d, want 1 (a failure): %s", lang, run.ExitCode, run.Stderr)
		}
		for _, line := range lines {
			if !strings.Contains(string(run.Stdout), line) {
				t.Errorf("apuri diagnose --lang %s does not say %q:\n%s", lang, line, run.Stdout)
			}
		}
		page, err := a.Exec(ctx, c.lab.Client, "report", "--html", "--lang", lang, "--profile", c.profile)
		if err != nil {
			t.Fatal(err)
		}
		sentence := fmt.Sprintf(ladder[lang], i18n.FormatTime(lang, started))
		if !strings.Contains(html.UnescapeString(string(page.Stdout)), sentence) {
			t.Errorf("the ladder of apuri report --html --lang %s does not say %q", lang, sentence)
		}
	}
}
