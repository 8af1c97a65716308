//go:build windows

package diagnostics

import "sync"

// subscribers are the watchers that one process-wide Windows callback tells: callbacks made by
// windows.NewCallback are never freed, so each kind is made once and shared.
type subscribers struct {
	mu   sync.Mutex
	next int
	fns  map[int]func()
}

// add subscribes f until the returned function is called.
func (s *subscribers) add(f func()) (remove func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fns == nil {
		s.fns = map[int]func(){}
	}
	id := s.next
	s.next++
	s.fns[id] = f
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.fns, id)
	}
}

// fire tells every subscriber. It runs on a thread Windows owns, so the subscribers must not
// block (the watcher's do not: they hand a signal on and return).
func (s *subscribers) fire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.fns {
		f()
	}
}
