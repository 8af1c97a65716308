package diagnostics

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// answered is a cache that answers with st and err at once.
func answered(st UpdatesState, err error) *updatesCache {
	return &updatesCache{query: func(context.Context) (UpdatesState, error) { return st, err }, now: time.Now}
}

// TestUpdatesCheckWarnsOnlyWhenTheyHaveWaited: waiting updates warn once their date is older
// than the threshold; without a date they are counted, never called late; none is OK; a system
// that cannot tell is a skip.
func TestUpdatesCheckWarnsOnlyWhenTheyHaveWaited(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	old, recent := now.Add(-20*24*time.Hour), now.Add(-3*24*time.Hour)
	names := []string{"firefox-esr", "libc6", "libc6"}
	for _, tt := range []struct {
		name   string
		state  UpdatesState
		err    error
		status Status
		key    string
		days   int
	}{
		{"published long ago", UpdatesState{Count: 3, Security: 1, Names: names, Since: old, Basis: UpdatesBasisPublished}, nil, StatusWarn, "check.updates.waiting_days", 20},
		{"installed long ago", UpdatesState{Count: 3, Since: old, Basis: UpdatesBasisLastInstalled}, nil, StatusWarn, "check.updates.last_installed_days", 20},
		{"recent", UpdatesState{Count: 2, Since: recent, Basis: UpdatesBasisPublished}, nil, StatusOK, "check.updates.waiting_days", 3},
		{"undated", UpdatesState{Count: 4, Names: names}, nil, StatusOK, "check.updates.waiting", -1},
		{"none", UpdatesState{}, nil, StatusOK, "check.updates.none", -1},
		{"unknown", UpdatesState{}, errors.New("PackageKit is not installed"), StatusSkip, "check.updates.unavailable", -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &updatesCheck{warnDays: 14, cache: answered(tt.state, tt.err), now: func() time.Time { return now }}
			r := c.Run(context.Background())
			if r.Status != tt.status || r.Message.Key != tt.key {
				t.Fatalf("got %s %s, want %s %s", r.Status, r.Message.Key, tt.status, tt.key)
			}
			assertContract(t, r)
			if (r.Status == StatusWarn) != (r.Reason == ReasonUpdatesWaiting) {
				t.Errorf("status %s with reason %q", r.Status, r.Reason)
			}
			if d, ok := r.Details[DetailDays]; (tt.days >= 0) != ok || ok && d != tt.days {
				t.Errorf("days %v, want %d", d, tt.days)
			}
			if tt.err == nil && r.Details[DetailUpdatesCount] != tt.state.Count {
				t.Errorf("count %v", r.Details[DetailUpdatesCount])
			}
			if got, ok := r.Details[DetailUpdatesNames].([]string); ok && !slices.Equal(got, []string{"firefox-esr", "libc6"}) {
				t.Errorf("names %v, want each once", got)
			}
			if tt.days >= 0 && r.Details[DetailUpdatesBasis] != tt.state.Basis {
				t.Errorf("basis %v", r.Details[DetailUpdatesBasis])
			}
		})
	}
}

// TestUpdatesSentencesSayWhatTheDaysMean: the two dates read differently in every language.
func TestUpdatesSentencesSayWhatTheDaysMean(t *testing.T) {
	for key, want := range map[string]map[string]string{
		"check.updates.waiting_days":        {"fi": "Vanhin on odottanut 20\u00a0päivää", "sv": "Den äldsta har väntat i 20\u00a0dagar", "en": "The oldest has waited 20\u00a0days"},
		"check.updates.last_installed_days": {"fi": "asennettiin viimeksi 20\u00a0päivää sitten", "sv": "installerades senast för 20\u00a0dagar sedan", "en": "last installed 20\u00a0days ago"},
	} {
		for lang, w := range want {
			if got := i18n.New(lang).Message(i18n.Msg(key, "count", 3, "days", 20)); !strings.Contains(got, w) || !strings.Contains(got, "3") {
				t.Errorf("%s %s: %q does not say %q", key, lang, got, w)
			}
		}
	}
}

// TestUpdatesCacheOutlastsTheCheck: a slow answer is a skip for the check that asked, is not
// asked twice, and serves the next check once it comes.
func TestUpdatesCacheOutlastsTheCheck(t *testing.T) {
	release := make(chan struct{})
	var asked atomic.Int32
	cache := &updatesCache{now: time.Now, query: func(context.Context) (UpdatesState, error) {
		asked.Add(1)
		<-release
		return UpdatesState{Count: 5}, nil
	}}
	c := &updatesCheck{warnDays: 14, cache: cache, now: time.Now}
	for range 2 {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if r := c.Run(ctx); r.Status != StatusSkip || r.Message.Key != "check.updates.still_asking" {
			t.Fatalf("while asking: %s %s", r.Status, r.Message.Key)
		}
	}
	close(release)
	if r := c.Run(context.Background()); r.Message.Key != "check.updates.waiting" || r.Details[DetailUpdatesCount] != 5 {
		t.Errorf("after the answer: %s %v", r.Message.Key, r.Details)
	}
	c.Run(context.Background())
	if n := asked.Load(); n != 1 {
		t.Errorf("asked %d times, want once", n)
	}
}

// TestUpdatesFromMacOSAndWindows reads softwareupdate's list and the Windows Update Agent's:
// Windows dates the wait by the oldest update's publication, macOS does not date it.
func TestUpdatesFromMacOSAndWindows(t *testing.T) {
	mac := softwareUpdateState(`Software Update Tool

Software Update found the following new or updated software:
* Label: Safari18.2-18.2
	Title: Safari, Version: 18.2, Size: 120000KiB, Recommended: YES,
* Label: macOS Sequoia 15.2-24C101
	Title: macOS Sequoia 15.2, Version: 15.2, Size: 3000000KiB, Recommended: YES, Action: restart,
`)
	if mac.Count != 2 || !slices.Equal(mac.Names, []string{"Safari18.2-18.2", "macOS Sequoia 15.2-24C101"}) || !mac.Since.IsZero() {
		t.Errorf("macOS: %+v", mac)
	}
	if st := softwareUpdateState("Software Update Tool\n\nNo new software available.\n"); st.Count != 0 {
		t.Errorf("nothing to install: %+v", st)
	}
	oldest := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	win, err := searchWUA(context.Background(), fakeWUA{list: []wuaUpdate{
		{Title: "2026-11 Cumulative Update for Windows 11", Published: oldest.Add(72 * time.Hour), Severity: "Critical"},
		{Title: "Security Intelligence Update for Microsoft Defender", Published: oldest},
		{Title: "Driver update", Severity: ""},
	}})
	if err != nil || win.Count != 3 || win.Security != 1 || !win.Since.Equal(oldest) || win.Basis != UpdatesBasisPublished {
		t.Errorf("Windows: %+v %v", win, err)
	}
	if st, err := searchWUA(context.Background(), fakeWUA{}); err != nil || st.Count != 0 || st.Basis != "" {
		t.Errorf("none: %+v %v", st, err)
	}
	if _, err := searchWUA(context.Background(), fakeWUA{err: errors.New("0x8024402c")}); err == nil {
		t.Error("a failed search must not read as no updates")
	}
}

// fakeWUA stands in for the Windows Update Agent.
type fakeWUA struct {
	list []wuaUpdate
	err  error
}

func (f fakeWUA) search(context.Context) ([]wuaUpdate, error) { return f.list, f.err }
