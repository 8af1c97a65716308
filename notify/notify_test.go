//go:build linux

package notify

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/notifytest"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/internal/testsupport/testbus"
	"github.com/godbus/dbus/v5"
)

// newBus starts a private session bus for one test; without dbus-daemon the test skips, or
// fails under CI=true.
func newBus(t *testing.T) *testbus.Bus {
	t.Helper()
	return testbus.ForTest(t)
}

// serve runs a test notification service on bus.
func serve(t *testing.T, bus *testbus.Bus, caps []string) *notifytest.Server {
	t.Helper()
	conn, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	srv, err := notifytest.Serve(conn, caps)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestSendOverTheSessionBus(t *testing.T) {
	tests := []struct {
		name        string
		caps        []string
		onActivate  bool
		label       string
		wantActions []string
	}{
		{"a button where the service shows buttons", nil, true, "Show details", []string{"default", "Show details"}},
		{"no button where the service shows none", []string{"body"}, true, "Show details", nil},
		{"no button without a callback", nil, false, "Show details", nil},
		{"no button without a label", nil, true, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bus := newBus(t)
			srv := serve(t, bus, tt.caps)
			n := &Notifier{IconPath: "/usr/share/apuri/apuri.png", DesktopEntry: "io.github.apuri_project.apuri", Connect: bus.Connect}
			if tt.onActivate {
				n.OnActivate = func() {}
			}
			defer n.Close()
			err := n.Send(testContext(t), Notification{Summary: "Not connected", Body: "Plug in the cable.", ActionLabel: tt.label})
			if err != nil {
				t.Fatal(err)
			}
			notes := srv.Notes()
			if len(notes) != 1 {
				t.Fatalf("service got %d notifications, want 1", len(notes))
			}
			got := notes[0]
			if got.AppName != "Apuri" || got.Summary != "Not connected" || got.Body != "Plug in the cable." {
				t.Errorf("got app %q summary %q body %q", got.AppName, got.Summary, got.Body)
			}
			if got.Icon != "file:///usr/share/apuri/apuri.png" {
				t.Errorf("icon %q", got.Icon)
			}
			if v, ok := got.Hints["desktop-entry"]; !ok || v.Value() != "io.github.apuri_project.apuri" {
				t.Errorf("desktop-entry hint %v", got.Hints["desktop-entry"])
			}
			if len(got.Actions) != len(tt.wantActions) {
				t.Fatalf("actions %q, want %q", got.Actions, tt.wantActions)
			}
			for i := range got.Actions {
				if got.Actions[i] != tt.wantActions[i] {
					t.Errorf("actions %q, want %q", got.Actions, tt.wantActions)
				}
			}
		})
	}
}

// A notification may quote a feed: what reaches the desktop has no control or bidi
// characters, and keeps its words.
func TestSendCleansItsTexts(t *testing.T) {
	bus := newBus(t)
	srv := serve(t, bus, nil)
	n := &Notifier{Connect: bus.Connect}
	defer n.Close()
	err := n.Send(testContext(t), Notification{Summary: "TOP\x1b[31m down\u202e", Body: "Fix\x00ed\u2066 soon.\nSee the bulletin."})
	if err != nil {
		t.Fatal(err)
	}
	notes := srv.Notes()
	if len(notes) != 1 {
		t.Fatalf("service got %d notifications, want 1", len(notes))
	}
	if got := notes[0]; got.Summary != "TOP down" || got.Body != "Fixed soon.\nSee the bulletin." {
		t.Errorf("summary %q body %q", got.Summary, got.Body)
	}
}

func TestANewNotificationReplacesTheOneOnScreen(t *testing.T) {
	bus := newBus(t)
	srv := serve(t, bus, nil)
	n := &Notifier{Connect: bus.Connect, OnActivate: func() {}}
	defer n.Close()
	ctx := testContext(t)
	for _, s := range []string{"first", "second"} {
		if err := n.Send(ctx, Notification{Summary: s}); err != nil {
			t.Fatal(err)
		}
	}
	notes := srv.Notes()
	if notes[0].ReplacesID != 0 || notes[1].ReplacesID != notes[0].ID {
		t.Fatalf("second replaces %d, want %d", notes[1].ReplacesID, notes[0].ID)
	}
	// Once the user has closed it, the next one is new.
	if err := srv.Close(notes[1].ID); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "the closed notification forgotten", func() bool { return !n.activates(notes[1].ID, "default") })
	if err := n.Send(ctx, Notification{Summary: "third"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Notes()[2].ReplacesID; got != 0 {
		t.Errorf("after closing, the next notification replaces %d, want 0", got)
	}
}

func TestClickingTheButtonActivates(t *testing.T) {
	bus := newBus(t)
	srv := serve(t, bus, nil)
	activated := make(chan struct{}, 4)
	n := &Notifier{Connect: bus.Connect, OnActivate: func() { activated <- struct{}{} }}
	defer n.Close()
	ctx := testContext(t)
	if err := n.Send(ctx, Notification{Summary: "Not connected", ActionLabel: "Show details"}); err != nil {
		t.Fatal(err)
	}
	id := srv.Notes()[0].ID
	if err := srv.Invoke(id, "default"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-activated:
	case <-ctx.Done():
		t.Fatal("clicking the notification's button did not activate")
	}
}

func TestOnlyOurClicksActivate(t *testing.T) {
	n := &Notifier{ours: map[uint32]bool{7: true}}
	tests := []struct {
		name string
		id   uint32
		key  string
		want bool
	}{
		{"our notification's button", 7, "default", true},
		{"another application's notification", 8, "default", false},
		{"an action we never offered", 7, "snooze", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := n.activates(tt.id, tt.key); got != tt.want {
				t.Errorf("activates(%d, %q) = %v, want %v", tt.id, tt.key, got, tt.want)
			}
		})
	}
}

func TestWithoutAServiceSendFailsAndLaterRetries(t *testing.T) {
	bus := newBus(t)
	n := &Notifier{Connect: bus.Connect}
	defer n.Close()
	ctx := testContext(t)
	err := n.Send(ctx, Notification{Summary: "nobody listens"})
	var dbusErr dbus.Error
	if !errors.As(err, &dbusErr) || dbusErr.Name != "org.freedesktop.DBus.Error.ServiceUnknown" {
		t.Fatalf("Send with no service = %v, want ServiceUnknown", err)
	}
	srv := serve(t, bus, nil)
	if err := n.Send(ctx, Notification{Summary: "now someone does"}); err != nil {
		t.Fatalf("Send after the service appeared: %v", err)
	}
	if len(srv.Notes()) != 1 {
		t.Errorf("service got %d notifications, want 1", len(srv.Notes()))
	}
}

func TestWithoutABusSendFails(t *testing.T) {
	n := &Notifier{Connect: func() (*dbus.Conn, error) { return nil, errors.New("no bus") }}
	if err := n.Send(context.Background(), Notification{Summary: "x"}); err == nil {
		t.Fatal("Send without a bus succeeded")
	}
}

func TestSendAfterCloseFails(t *testing.T) {
	n := &Notifier{}
	n.Close()
	if err := n.Send(context.Background(), Notification{Summary: "x"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Send after Close = %v, want ErrClosed", err)
	}
}

func TestAfterTheBusRestartsSendConnectsAgain(t *testing.T) {
	dir := t.TempDir()
	first, err := testbus.Start(dir)
	if err != nil {
		if os.Getenv("CI") != "true" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	bus := first
	n := &Notifier{Connect: func() (*dbus.Conn, error) { return bus.Connect() }}
	defer n.Close()
	ctx := testContext(t)
	serve(t, bus, nil)
	if err := n.Send(ctx, Notification{Summary: "before"}); err != nil {
		t.Fatal(err)
	}
	first.Close()
	if err := n.Send(ctx, Notification{Summary: "while the bus is down"}); err == nil {
		t.Fatal("Send without a bus succeeded")
	}
	if bus, err = testbus.Start(dir); err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	srv := serve(t, bus, nil)
	if err := n.Send(ctx, Notification{Summary: "after"}); err != nil {
		t.Fatalf("Send after the bus came back: %v", err)
	}
	if notes := srv.Notes(); len(notes) != 1 || notes[0].Summary != "after" {
		t.Errorf("the new service got %v", notes)
	}
}

// A service that reads the body as markup gets the sentence escaped, so that "R&D" or
// "<intranet>" arrive whole; one that reads plain text gets it as it is.
func TestTheWholeSentenceArrives(t *testing.T) {
	const sentence = "The service <R&D> intranet is not working."
	tests := []struct {
		name string
		caps []string
		want string
	}{
		{"plain text", []string{"actions", "body"}, sentence},
		{"markup", []string{"actions", "body", "body-markup"}, "The service &lt;R&amp;D&gt; intranet is not working."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bus := newBus(t)
			srv := serve(t, bus, tt.caps)
			n := &Notifier{Connect: bus.Connect}
			defer n.Close()
			if err := n.Send(testContext(t), Notification{Summary: "<R&D>", Body: sentence}); err != nil {
				t.Fatal(err)
			}
			got := srv.Notes()[0]
			if got.Body != tt.want {
				t.Errorf("body %q, want %q", got.Body, tt.want)
			}
			if got.Summary != "<R&D>" {
				t.Errorf("summary %q: the summary is never markup", got.Summary)
			}
		})
	}
}

// A notification sent apart stays on screen beside the others: it replaces none, none
// replaces it, and its button still works.
func TestANotificationApartIsNotReplaced(t *testing.T) {
	bus := newBus(t)
	srv := serve(t, bus, nil)
	activated := make(chan struct{}, 4)
	n := &Notifier{Connect: bus.Connect, OnActivate: func() { activated <- struct{}{} }}
	defer n.Close()
	ctx := testContext(t)
	for _, m := range []Notification{{Summary: "verdict"}, {Summary: "notice", Apart: true, ActionLabel: "Show details"}, {Summary: "next verdict"}} {
		if err := n.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	notes := srv.Notes()
	if notes[1].ReplacesID != 0 {
		t.Errorf("the notice replaces %d, want none", notes[1].ReplacesID)
	}
	if notes[2].ReplacesID != notes[0].ID {
		t.Errorf("the next verdict replaces %d, want the first verdict %d (not the notice %d)", notes[2].ReplacesID, notes[0].ID, notes[1].ID)
	}
	if err := srv.Invoke(notes[1].ID, "default"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-activated:
	case <-ctx.Done():
		t.Fatal("the notice's button did not activate")
	}
}
