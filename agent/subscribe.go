package agent

import (
	"sync"

	"github.com/apuri-project/apuri/diagnostics"
)

// UpdateKind says what an update carries.
type UpdateKind string

// The kinds of update a subscriber receives.
const (
	// UpdateState carries a whole State: the first update of every subscription, every
	// change of state (a diagnosis started or finished, settings saved), and a resynchronisation
	// after a subscriber fell behind and updates were dropped.
	UpdateState UpdateKind = "state"
	// UpdateProgress carries one progress event of the running diagnosis (Run says which).
	UpdateProgress UpdateKind = "progress"
	// UpdateRaise asks the open window named Window to come to the front.
	UpdateRaise UpdateKind = "raise"
	// UpdateWatch carries one event of the connectivity watcher in Watch: the connection was
	// lost, restored or degraded, or (Watch.Event "diagnosis") a diagnosis the agent ran by
	// itself because of such an event finished, with its verdict and Run. Nobody asked for
	// those diagnoses, so the tray tells the user about them; a diagnosis the user started
	// arrives only as UpdateState. A subscriber that falls behind still gets the latest one.
	UpdateWatch UpdateKind = "watch"
)

// Update is one message to a subscriber, and one line of the /v1/events stream.
type Update struct {
	Kind   UpdateKind         `json:"kind"`
	Run    uint64             `json:"run,omitempty"`
	State  *State             `json:"state,omitempty"`
	Event  *diagnostics.Event `json:"event,omitempty"`
	Window string             `json:"window,omitempty"`
	// Watch is the watcher's event of an UpdateWatch, the subscriber's own copy.
	Watch *diagnostics.WatchEvent `json:"watch,omitempty"`
}

// subscriberBuffer is how many updates a subscriber may fall behind before it is resynchronised.
const subscriberBuffer = 128

type subscriber struct {
	ch chan Update
}

// Subscribe returns a channel of updates, starting with the current State, and a cancel func
// that ends the subscription and closes the channel. A subscriber that falls behind never slows
// the agent: its pending updates are dropped and replaced by one UpdateState with the whole
// state, which is enough to redraw everything. The channel is closed when the agent closes.
func (a *Agent) Subscribe() (<-chan Update, func()) {
	s := &subscriber{ch: make(chan Update, subscriberBuffer)}
	a.mu.Lock()
	if a.closed {
		close(s.ch)
		a.mu.Unlock()
		return s.ch, func() {}
	}
	st := a.stateLocked()
	s.ch <- Update{Kind: UpdateState, Run: st.Run, State: &st}
	a.subs[s] = struct{}{}
	a.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			a.mu.Lock()
			defer a.mu.Unlock()
			if _, ok := a.subs[s]; ok {
				delete(a.subs, s)
				close(s.ch)
			}
		})
	}
}

func (a *Agent) publishStateLocked() {
	a.publishLocked(Update{Kind: UpdateState})
}

// publishLocked hands u to every subscriber without ever waiting. An UpdateState gets a fresh
// state for each subscriber, so that none shares what another may localize.
func (a *Agent) publishLocked(u Update) {
	for s := range a.subs {
		v := u
		if v.Kind == UpdateState {
			st := a.stateLocked()
			v.State, v.Run = &st, st.Run
		}
		if v.Watch != nil {
			w := v.Watch.Clone()
			v.Watch = &w
		}
		select {
		case s.ch <- v:
			continue
		default:
		}
		// Behind: drop what it has not read and leave it the whole state instead. The agent is
		// the only sender and holds the lock, so after draining there is room.
		for drained := false; !drained; {
			select {
			case <-s.ch:
			default:
				drained = true
			}
		}
		st := a.stateLocked()
		s.ch <- Update{Kind: UpdateState, Run: st.Run, State: &st}
		if v.Kind == UpdateRaise || v.Kind == UpdateWatch {
			s.ch <- v // news, not state: the snapshot cannot stand in for it
		}
	}
}
