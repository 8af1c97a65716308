package agent

import "sync"

// goroutines counts what runs on the agent's behalf: the goroutines it starts (the watcher, the
// feed reader, diagnoses, outbox flushes and attempts) and the local API's calls and Serve loops.
// Close refuses new ones and waits for those running, so that nothing of the agent still writes
// a file or publishes an update once Close has returned. Each of them ends when the agent's
// context is cancelled, which is what bounds the wait.
//
// Its lock is a leaf: it may be taken with Agent.mu or requests.mu held.
type goroutines struct {
	mu      sync.Mutex
	stopped bool
	wg      sync.WaitGroup
	// trace, when set (tests), is told each time one starts (running) and ends.
	trace func(name string, running bool)
}

// Go runs f on a goroutine of its own and counts it until f returns. After stop it starts
// nothing and returns false.
func (g *goroutines) Go(name string, f func()) bool {
	if !g.enter(name) {
		return false
	}
	go func() {
		defer g.leave(name)
		f()
	}()
	return true
}

// enter counts work that runs on a goroutine the agent did not start (an API call), until the
// matching leave. After stop it counts nothing and returns false: the caller must not go on.
func (g *goroutines) enter(name string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return false
	}
	g.wg.Add(1)
	if g.trace != nil {
		g.trace(name, true)
	}
	return true
}

// leave ends what enter (or Go) counted.
func (g *goroutines) leave(name string) {
	if g.trace != nil {
		g.trace(name, false)
	}
	g.wg.Done()
}

// stop refuses new goroutines and waits for those running to end.
func (g *goroutines) stop() {
	g.mu.Lock()
	g.stopped = true
	g.mu.Unlock()
	g.wg.Wait()
}
