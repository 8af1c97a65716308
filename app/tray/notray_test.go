package tray

import (
	"slices"
	"testing"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/notify"
)

func isNotice(tr *i18n.Translator) func(notify.Notification) bool {
	return func(n notify.Notification) bool { return n.Summary == tr.T("tray.no_tray.summary", nil) }
}

// diagnoseAndWait runs the tray's diagnosis and waits until the tray has judged it, by when any
// notice it gives has been scheduled before the verdict's notification.
func diagnoseAndWait(t *testing.T, r *rig, run uint64) {
	t.Helper()
	r.c.diagnose()
	poll.Until(t, "the diagnosis judged", func() bool { return r.judged() == run })
	r.c.bgNotify.Wait()
}

func TestWithoutATrayTheUserIsToldOnceEver(t *testing.T) {
	tr := i18n.New("fi")
	dir := t.TempDir()
	r := newRigIn(t, "fi", &fakeDiagnosis{causes: []diagnostics.Cause{diagnostics.CauseNoLink}}, dir, true)
	diagnoseAndWait(t, r, 1)
	notes := r.sender.notes()
	if len(notes) != 2 || !isNotice(tr)(notes[0]) || isNotice(tr)(notes[1]) {
		t.Fatalf("sent %+v, want the notice, then the verdict", notes)
	}
	n := notes[0]
	if n.Body != tr.T("tray.no_tray.body", nil) || n.ActionLabel != tr.T("tray.notify.show_details", nil) || !n.Apart {
		t.Errorf("the notice %+v: want its body, a Show details button, and apart from the verdicts", n)
	}
	if !r.a.Told(agent.NoticeNoTray) {
		t.Fatal("the notice was not remembered")
	}

	// The next start on the same desktop: the verdict, and no notice before it.
	again := newRigIn(t, "fi", &fakeDiagnosis{causes: []diagnostics.Cause{diagnostics.CauseNoLink}}, dir, true)
	diagnoseAndWait(t, again, 1)
	if notes := again.sender.notes(); len(notes) != 1 || slices.ContainsFunc(notes, isNotice(tr)) {
		t.Errorf("after a restart sent %+v, want only the verdict", notes)
	}
}

// Without a notification service the notice is not marked as given: the next start tells.
func TestANoticeNotShownIsToldNextTime(t *testing.T) {
	tr := i18n.New("en")
	dir := t.TempDir()
	r := newRigIn(t, "en", &fakeDiagnosis{}, dir, true)
	r.sender.fails = true
	diagnoseAndWait(t, r, 1)
	if r.a.Told(agent.NoticeNoTray) {
		t.Fatal("a notice nobody saw is marked as told")
	}
	again := newRigIn(t, "en", &fakeDiagnosis{}, dir, true)
	diagnoseAndWait(t, again, 1)
	if !slices.ContainsFunc(again.sender.notes(), isNotice(tr)) {
		t.Errorf("the next start did not tell: %+v", again.sender.notes())
	}
}

// A panel that comes up while the first diagnosis runs (a login still under way) shows the
// icon: nothing needs telling.
func TestATrayThatComesInTimeIsNotToldAbout(t *testing.T) {
	tr := i18n.New("en")
	diag := &fakeDiagnosis{causes: []diagnostics.Cause{diagnostics.CauseNoLink}, release: make(chan struct{})}
	r := newRigIn(t, "en", diag, t.TempDir(), true)
	r.c.diagnose()
	r.trays <- true
	diag.release <- struct{}{}
	poll.Until(t, "the diagnosis judged", func() bool { return r.judged() == 1 })
	r.c.bgNotify.Wait()
	if notes := r.sender.notes(); len(notes) != 1 || slices.ContainsFunc(notes, isNotice(tr)) {
		t.Errorf("sent %+v, want only the verdict", notes)
	}
}

// A tray that goes away later (the extension turned off) is told about then.
func TestATrayThatGoesAwayIsToldAbout(t *testing.T) {
	tr := i18n.New("sv")
	r := newRigIn(t, "sv", &fakeDiagnosis{}, t.TempDir(), false)
	diagnoseAndWait(t, r, 1)
	if notes := r.sender.notes(); len(notes) != 0 {
		t.Fatalf("a healthy start with a tray sent %+v", notes)
	}
	r.trays <- false
	poll.Until(t, "the notice", func() bool { return slices.ContainsFunc(r.sender.notes(), isNotice(tr)) })
}
