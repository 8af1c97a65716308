// Package notifytest provides an org.freedesktop.Notifications service for tests, to run on a
// private session bus (internal/testsupport/testbus): it records what it is sent and can click on
// a notification's button.
package notifytest

import (
	"context"
	"fmt"
	"sync"

	"github.com/godbus/dbus/v5"
)

// Note is one Notify call the server received.
type Note struct {
	ID         uint32
	AppName    string
	ReplacesID uint32
	Icon       string
	Summary    string
	Body       string
	Actions    []string
	Hints      map[string]dbus.Variant
	Sender     string
}

// Server is an org.freedesktop.Notifications service written for tests.
type Server struct {
	conn *dbus.Conn
	caps []string

	mu     sync.Mutex
	nextID uint32
	notes  []Note
	added  chan struct{} // closed and replaced on each Notify
}

const (
	name  = "org.freedesktop.Notifications"
	path  = dbus.ObjectPath("/org/freedesktop/Notifications")
	iface = "org.freedesktop.Notifications"
)

// Serve exports the service on conn and takes its well-known name. caps are what
// GetCapabilities answers; nil means ["actions", "body"].
func Serve(conn *dbus.Conn, caps []string) (*Server, error) {
	if caps == nil {
		caps = []string{"actions", "body"}
	}
	s := &Server{conn: conn, caps: caps, added: make(chan struct{})}
	if err := conn.Export(handler{s}, path, iface); err != nil {
		return nil, fmt.Errorf("export notification service: %w", err)
	}
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil {
		return nil, fmt.Errorf("request %s: %w", name, err)
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		return nil, fmt.Errorf("request %s: the name is taken", name)
	}
	return s, nil
}

// handler holds only the D-Bus methods, so that nothing else of Server is callable on the bus.
type handler struct{ s *Server }

func (h handler) Notify(sender dbus.Sender, appName string, replacesID uint32, icon, summary, body string,
	actions []string, hints map[string]dbus.Variant, _ int32) (uint32, *dbus.Error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	id := replacesID
	if id == 0 {
		s.nextID++
		id = s.nextID
	}
	s.notes = append(s.notes, Note{ID: id, AppName: appName, ReplacesID: replacesID, Icon: icon,
		Summary: summary, Body: body, Actions: actions, Hints: hints, Sender: string(sender)})
	close(s.added)
	s.added = make(chan struct{})
	return id, nil
}

func (h handler) GetCapabilities() ([]string, *dbus.Error) { return h.s.caps, nil }

func (h handler) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "notifytest", "apuri", "1.0", "1.2", nil
}

func (h handler) CloseNotification(id uint32) *dbus.Error {
	if err := h.s.Close(id); err != nil {
		return dbus.MakeFailedError(err)
	}
	return nil
}

// Close closes notification id as if the user dismissed it (reason 2).
func (s *Server) Close(id uint32) error {
	return s.conn.Emit(path, iface+".NotificationClosed", id, uint32(2))
}

// Invoke clicks the button with action key on notification id.
func (s *Server) Invoke(id uint32, key string) error {
	return s.conn.Emit(path, iface+".ActionInvoked", id, key)
}

// Notes returns every notification received so far.
func (s *Server) Notes() []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Note(nil), s.notes...)
}

// Wait returns the first notification for which match is true, waiting for one to arrive
// until ctx is done.
func (s *Server) Wait(ctx context.Context, match func(Note) bool) (Note, error) {
	for {
		s.mu.Lock()
		for _, n := range s.notes {
			if match(n) {
				s.mu.Unlock()
				return n, nil
			}
		}
		added := s.added
		s.mu.Unlock()
		select {
		case <-added:
		case <-ctx.Done():
			return Note{}, fmt.Errorf("no matching notification among %d: %w", len(s.Notes()), ctx.Err())
		}
	}
}
