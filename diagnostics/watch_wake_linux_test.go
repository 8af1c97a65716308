//go:build linux

package diagnostics

import (
	"context"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/internal/testsupport/testbus"
)

// TestLogindWakes: on a private bus, logind's PrepareForSleep(true) as the computer goes to
// sleep is not a waking; PrepareForSleep(false) as it resumes is, once each time; another
// signal of the same name from another interface is not.
func TestLogindWakes(t *testing.T) {
	bus := testbus.ForTest(t)
	logind, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer logind.Close()

	woke := make(chan struct{}, 4)
	ctx, cancel := context.WithCancel(context.Background())
	ended := make(chan error, 1)
	go func() {
		ended <- logindWakes(ctx, bus.Connect, func() { woke <- struct{}{} })
	}()
	emit := func(iface string, sleeping bool) {
		t.Helper()
		if err := logind.Emit(dbus.ObjectPath(logindPath), iface+"."+logindPrepareForSleep, sleeping); err != nil {
			t.Fatal(err)
		}
	}
	// The listener subscribes after it connects: keep telling of a waking until it is heard.
	poll.Until(t, "the first waking heard", func() bool {
		emit(logindManager, false)
		select {
		case <-woke:
			return true
		case <-time.After(50 * time.Millisecond):
			return false
		}
	})
	for len(woke) > 0 { // wakings told while the first was on its way
		<-woke
	}
	emit(logindManager, true)
	emit("org.example.NotLogind", false)
	emit(logindManager, false)
	select {
	case <-woke:
	case <-time.After(10 * time.Second):
		t.Fatal("the resume was not heard")
	}
	select {
	case <-woke:
		t.Error("going to sleep, or another interface's signal, was taken for a waking")
	case <-time.After(200 * time.Millisecond):
	}
	cancel()
	if err := <-ended; err != nil {
		t.Errorf("logindWakes: %v", err)
	}
}
