package diagnostics

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// TestRebootCheckSaysWhatWaits: a pending restart warns with since when and what asks for it;
// none is OK; a system that cannot tell is a skip, never "nothing pending".
func TestRebootCheckSaysWhatWaits(t *testing.T) {
	since := time.Date(2026, 12, 2, 7, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		name    string
		state   RebootState
		err     error
		status  Status
		key     string
		details []string
	}{
		{"pending with date", RebootState{Pending: true, Since: since, Sources: []string{RebootSourcePackages}, Packages: []string{"linux-image-6.1", "libc6", "libc6"}},
			nil, StatusWarn, "check.reboot.pending_since", []string{DetailRebootSources, DetailRebootSince, DetailRebootPackages}},
		{"pending without date", RebootState{Pending: true, Sources: []string{RebootSourceNeedsRestarting}},
			nil, StatusWarn, "check.reboot.pending", []string{DetailRebootSources}},
		{"none", RebootState{}, nil, StatusOK, "check.reboot.none", nil},
		{"unknown", RebootState{}, errors.New("no registry"), StatusSkip, "check.reboot.unavailable", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &rebootCheck{pending: func(context.Context) (RebootState, error) { return tt.state, tt.err }}
			r := c.Run(context.Background())
			if r.Status != tt.status || r.Message.Key != tt.key {
				t.Fatalf("got %s %s, want %s %s", r.Status, r.Message.Key, tt.status, tt.key)
			}
			for _, k := range tt.details {
				if _, ok := r.Details[k]; !ok {
					t.Errorf("detail %s missing: %v", k, r.Details)
				}
			}
			if tt.status == StatusWarn && r.Reason != ReasonRebootPending {
				t.Errorf("reason %q", r.Reason)
			}
			if pkgs, ok := r.Details[DetailRebootPackages].([]string); ok && !slices.Equal(pkgs, []string{"linux-image-6.1", "libc6"}) {
				t.Errorf("packages %v, want each once", pkgs)
			}
			if got, ok := r.Details[DetailRebootSince]; ok && got != "2026-12-02T07:30:00Z" {
				t.Errorf("since %v", got)
			}
		})
	}
}

// TestRebootSentenceNamesTheDate: the date is written the way each language writes one.
func TestRebootSentenceNamesTheDate(t *testing.T) {
	since := time.Date(2026, 12, 2, 12, 0, 0, 0, time.Local)
	c := &rebootCheck{pending: func(context.Context) (RebootState, error) {
		return RebootState{Pending: true, Since: since, Sources: []string{RebootSourceWindowsUpdate}}, nil
	}}
	r := c.Run(context.Background())
	for lang, want := range map[string]string{"fi": "2.12.2026 alkaen", "sv": "sedan 2.12.2026", "en": "since 2\u00a0Dec\u00a02026"} {
		if got := i18n.New(lang).Message(r.Message); !strings.Contains(got, want) {
			t.Errorf("%s: %q does not say %q", lang, got, want)
		}
	}
}

// TestSoftwareUpdateList reads the macOS list: only an update whose action is a restart counts.
func TestSoftwareUpdateList(t *testing.T) {
	out := `Software Update Tool

Finding available software
Software Update found the following new or updated software:
* Label: Safari18.2-18.2
	Title: Safari, Version: 18.2, Size: 120000KiB, Recommended: YES,
* Label: macOS Sequoia 15.2-24C101
	Title: macOS Sequoia 15.2, Version: 15.2, Size: 3000000KiB, Recommended: YES, Action: restart,
`
	st := parseSoftwareUpdate(out)
	if !st.Pending || !slices.Equal(st.Packages, []string{"macOS Sequoia 15.2-24C101"}) || !slices.Equal(st.Sources, []string{RebootSourceSoftwareUpdate}) {
		t.Errorf("got %+v", st)
	}
	if st := parseSoftwareUpdate("Software Update Tool\n\nNo new software available.\n"); st.Pending {
		t.Errorf("nothing to install: %+v", st)
	}
}
