package fleet

import (
	"context"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
)

// While the collector is out of reach the records wait, at most MaxBuffered of them; the
// oldest go first and are counted, and once it answers the rest arrive, oldest first.
func TestOfflineRecordsAreBoundedOldestDroppedAndCounted(t *testing.T) {
	rcv := newReceiver(t)
	rcv.setDown(true)
	e := newTestExporter(t, rcv.URL, func(c *Config) { c.MaxBuffered = 3 })
	causes := []diagnostics.Cause{diagnostics.CauseNoLink, diagnostics.CauseDNSFailure,
		diagnostics.CauseVPNDown, diagnostics.CauseVPNBroken, diagnostics.CauseServiceDown}
	for _, c := range causes {
		e.Event(lostEvent(c))
		if err := e.Flush(context.Background()); err == nil {
			t.Fatal("Flush succeeded with the collector down")
		}
	}
	st := e.Status()
	if st.Waiting != 3 || st.Dropped != 2 {
		t.Fatalf("offline: waiting %d, dropped %d; want 3 and 2", st.Waiting, st.Dropped)
	}
	if !st.Since.IsZero() {
		t.Errorf("Since = %v before anything was delivered", st.Since)
	}
	if n := len(rcv.records()); n != 0 {
		t.Fatalf("the receiver got %d records while down", n)
	}

	rcv.setDown(false)
	if err := e.Flush(context.Background()); err != nil {
		t.Fatalf("Flush once up: %v", err)
	}
	var got []string
	for _, r := range rcv.records() {
		got = append(got, r.attrs["apuri.cause"].GetStringValue())
	}
	want := []string{string(causes[2]), string(causes[3]), string(causes[4])}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("delivered causes %v, want the newest three %v", got, want)
	}
	st = e.Status()
	if st.Waiting != 0 || st.Dropped != 2 || st.Since.IsZero() {
		t.Errorf("after delivery: %+v; want nothing waiting, 2 dropped, a Since", st)
	}
}
