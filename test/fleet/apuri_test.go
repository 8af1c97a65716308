//go:build linux

package fleet_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/selfhelp"
)

// The loop back to the desktop: Apuri's agent at a site, with the profile an organisation
// writes, reads the stack's Alertmanager as it does on every desktop (agent/disruptions.go,
// disruptions/alertmanager.go) and shows a firing ApuriSiteDisruption of its site as a known
// disruption, detected automatically; the self-help ladder answers "is it only me?" from it.

// apuriProfile is the organisation's profile for a computer at a site: where its Alertmanager
// is, and the site.
const apuriProfile = `schema = 1

[disruptions]
alertmanager_url = %q

[fleet]
site = %q
`

// startApuri starts Apuri's agent for a computer at site, as the tray does: the profile parsed
// and validated, a diagnosis whose verdict is cause (the computer's own network is not broken
// here, so its diagnosis says what the computers at the site reported), then the reading of
// known disruptions, which asks the Alertmanager at once.
func startApuri(ctx context.Context, t testing.TB, s *stack, site string, cause diagnostics.Cause) (*agent.Agent, *profile.Profile) {
	t.Helper()
	p, err := profile.Parse(site+".toml", fmt.Appendf(nil, apuriProfile, s.alertmanager, site))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a := agent.New(agent.Config{
		Profile:      profile.Loaded{Profile: p, Source: profile.Source{Kind: profile.SourceFlag, Path: site + ".toml"}},
		Lang:         "en",
		Diagnose:     diagnosisOf(cause),
		SettingsPath: filepath.Join(dir, "settings.json"),
		Autostart:    noAutostart{},
		Requests:     agent.RequestsConfig{Dir: filepath.Join(dir, "requests")},
		Feed: agent.FeedConfig{CachePath: filepath.Join(dir, "disruptions.json"),
			AlertsCachePath: filepath.Join(dir, "alerts.json")},
	})
	t.Cleanup(func() { a.Close() })
	if _, err := a.RunDiagnosis(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.StartDisruptions(); err != nil {
		t.Fatal(err)
	}
	return a, p
}

// diagnosisOf is a diagnosis that finds the VPN tunnel up but carrying nothing, or another
// failing cause.
func diagnosisOf(cause diagnostics.Cause) agent.DiagnoseFunc {
	return func(context.Context, *profile.Profile, func(diagnostics.Event)) *diagnostics.Report {
		return &diagnostics.Report{Schema: diagnostics.ReportSchema, Verdict: diagnostics.Verdict{
			Cause: cause, Status: diagnostics.StatusFail, Evidence: []string{diagnostics.IDVPNInternal}}}
	}
}

// noAutostart keeps the agent away from the login items of whoever runs the test.
type noAutostart struct{}

func (noAutostart) Enabled() (bool, error) { return false, nil }
func (noAutostart) SetEnabled(bool) error  { return agent.ErrAutostartUnsupported }

// readAlerts is the agent's state once it has read the Alertmanager without a problem.
func readAlerts(a *agent.Agent) (agent.State, bool) {
	st := a.State()
	d := st.Disruptions
	return st, d != nil && !d.CheckedAt.IsZero() && d.Problem == nil && st.Report != nil
}

// shownDetected is the detected disruption the agent shows, once it shows one.
func shownDetected(a *agent.Agent) (agent.State, *diagnostics.Disruption) {
	st, ok := readAlerts(a)
	if !ok || len(st.Disruptions.Disruptions) == 0 {
		return st, nil
	}
	return st, &st.Disruptions.Disruptions[0]
}

// checkApuriShows: the agent at site shows the disruption the alert describes, detected
// automatically from affected computers for cause; it explains the computer's verdict; the
// colleagues step says in every language how many others at the site have the same problem.
func checkApuriShows(t *testing.T, st agent.State, d *diagnostics.Disruption, p *profile.Profile, site string, cause diagnostics.Cause, affected int) {
	t.Helper()
	if len(st.Disruptions.Disruptions) != 1 {
		t.Errorf("Apuri shows %d disruptions, want the one alert: %+v", len(st.Disruptions.Disruptions), st.Disruptions.Disruptions)
	}
	if d.Detected == nil || d.Detected.Site != site || d.Detected.Cause != cause || d.Detected.Affected != affected {
		t.Fatalf("Apuri shows %+v detected %+v, want detected automatically at %s, %s, %d computers", d, d.Detected, site, cause, affected)
	}
	if d.Started.IsZero() {
		t.Error("the disruption has no start: the alert's startsAt was lost")
	}
	if v := st.Report.Verdict.Disruption; v == nil || v.Detected == nil || v.Detected.Cause != cause {
		t.Errorf("the detected disruption does not explain the verdict %s: %+v", st.Report.Verdict.Cause, v)
	}
	var step *selfhelp.Step
	for _, s := range selfhelp.Ladder(st.Report, p) {
		if s.ID == selfhelp.StepColleagues {
			step = &s
			break
		}
	}
	if step == nil {
		t.Fatal("the ladder has no colleagues step")
	}
	if step.Title.Key != "selfhelp.step.known_disruption" || !step.Recommended {
		t.Errorf("the colleagues step is %s, recommended %v", step.Title.Key, step.Recommended)
	}
	// The computer is one of those counted: the others are one fewer.
	others := affected - 1
	want := map[string]string{
		"fi": "Toimipisteessäsi VPN-yhteys on katkennut %d muulta %s lähtien. Se havaittiin automaattisesti, eikä kenenkään tarvinnut ilmoittaa siitä.",
		"sv": "%d andra på din arbetsplats har förlorat VPN-anslutningen sedan %s. Det upptäcktes automatiskt; ingen behövde anmäla det.",
		"en": "%d others at your site have lost the VPN connection since %s. It was detected automatically; no one had to report it.",
	}
	for lang, format := range want {
		w := fmt.Sprintf(format, others, i18n.FormatTime(lang, d.Started.Local()))
		if got := i18n.New(lang).Message(step.Why); got != w {
			t.Errorf("the colleagues step in %s: %q, want %q", lang, got, w)
		}
	}
}
