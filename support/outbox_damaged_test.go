package support

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// damage overwrites one file of a stored request; content "" removes it.
func damage(t *testing.T, ob *Outbox, ref, file, content string) {
	t.Helper()
	path := filepath.Join(ob.entryDir(ref), file)
	var err error
	if content == "" {
		err = os.Remove(path)
	} else {
		err = os.WriteFile(path, []byte(content), 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// pendingOne is the outbox's only pending entry.
func pendingOne(t *testing.T, ob *Outbox) Entry {
	t.Helper()
	p := ob.Pending()
	if len(p) != 1 {
		t.Fatalf("pending %+v, want one entry", p)
	}
	return p[0]
}

// An entry that cannot be read is shown failed with its reason, is not attempted behind the
// user's back, and is sent again when the user asks: its request is intact.
func TestOutboxDamagedEntryIsShownAndResent(t *testing.T) {
	for _, tc := range []struct{ name, content string }{
		{"garbage", "{not json"},
		{"missing", ""},
		{"another request's", `{"ref":"0123456789abcdef","state":"queued"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newHookServer(t)
			ob := newTestOutbox(t, Channels{Secrets: &MemorySecrets{}}, &fakeClock{t: fixedNow})
			m := outgoing("webhook", srv.URL)
			if _, err := ob.Add(m, 5); err != nil {
				t.Fatal(err)
			}
			damage(t, ob, m.Ref, "entry.json", tc.content)

			e := pendingOne(t, ob)
			if !e.Damaged || e.State != StateFailed || e.Error == nil || e.Error.Key != "outbox.error.damaged" ||
				e.Error.Args["error"] == "" || e.Summary != "VPN down" || e.Channel != "webhook" || !e.Created.Equal(fixedNow) {
				t.Fatalf("damaged entry shown as %+v (error %+v)", e, e.Error)
			}
			ob.Flush(context.Background(), true)
			if srv.count() != 0 {
				t.Fatal("a damaged entry was sent without the user asking")
			}

			e, _, err := ob.Retry(context.Background(), m.Ref)
			if err != nil || e.State != StateSent || srv.delivered() != 1 {
				t.Fatalf("retry: %+v, %v, %d deliveries", e, err, srv.delivered())
			}
			if h := ob.History(); len(h) != 1 || h[0].Attempts != 2 || h[0].Damaged || len(ob.Pending()) != 0 {
				t.Errorf("history %+v, pending %+v", h, ob.Pending())
			}
		})
	}
}

// When the request itself is unreadable too, the entry says so and can only be discarded.
func TestOutboxUnreadableRequestIsShownAndDiscarded(t *testing.T) {
	srv := newHookServer(t)
	ob := newTestOutbox(t, Channels{Secrets: &MemorySecrets{}}, &fakeClock{t: fixedNow})
	m := outgoing("webhook", srv.URL)
	if _, err := ob.Add(m, 5); err != nil {
		t.Fatal(err)
	}
	damage(t, ob, m.Ref, "entry.json", "\x00\x01")
	damage(t, ob, m.Ref, "request.json", "")

	e := pendingOne(t, ob)
	if !e.Damaged || e.State != StateFailed || e.Error == nil || e.Error.Key != "outbox.error.unreadable" || e.Created.IsZero() {
		t.Fatalf("unreadable entry shown as %+v (error %+v)", e, e.Error)
	}
	e, _, err := ob.Retry(context.Background(), m.Ref)
	var se *SendError
	if !errors.As(err, &se) || se.Message.Key != "outbox.error.unreadable" || e.Ref != m.Ref || !e.Damaged {
		t.Fatalf("retry of an unreadable request: %+v, %v", e, err)
	}
	if srv.count() != 0 {
		t.Fatal("something was sent")
	}
	if len(ob.Pending()) != 1 {
		t.Fatal("a failed retry lost the entry")
	}
	if err := ob.Discard(context.Background(), m.Ref); err != nil {
		t.Fatal(err)
	}
	if p := ob.Pending(); len(p) != 0 {
		t.Errorf("discarded, still pending: %+v", p)
	}
}
