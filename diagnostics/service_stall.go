package diagnostics

import (
	"context"
	"crypto/tls"
	"io"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"
)

// stallWatch notices a fetch whose connection is up but makes no progress (a TLS handshake, an
// answer or a page that stops coming) and then probes the path (mtu.go) beside it, within the
// check's own deadline. The fetch itself keeps going: a page that finishes after all is judged
// as before and the probe is dropped, so a healthy service is never slower and never judged by
// the probe.
type stallWatch struct {
	ctx    context.Context // the check's: the probe ends with it
	idle   time.Duration
	prober *mtuProber // nil: nothing to probe with

	mu      sync.Mutex
	timer   *time.Timer
	url     *url.URL // what is being fetched now
	stopped bool
	started bool
	cancel  context.CancelFunc
	done    chan struct{}
	finding mtuFinding
}

// Bounds on how long a connection may make no progress before its path is probed: a fifth of
// what is left of the check, so that the probe has the rest, but never so short that one lost
// packet (retransmitted after at least 200 ms) starts it.
const (
	minStallIdle = 250 * time.Millisecond
	maxStallIdle = 1500 * time.Millisecond
	// minProbeTime is the least time a probe needs to mean anything; with less left it is skipped.
	minProbeTime = 150 * time.Millisecond
)

func newStallWatch(ctx context.Context, prober *mtuProber, u *url.URL) *stallWatch {
	idle := maxStallIdle
	if deadline, ok := ctx.Deadline(); ok {
		idle = min(max(time.Until(deadline)/5, minStallIdle), maxStallIdle)
	}
	return &stallWatch{ctx: ctx, idle: idle, prober: prober, url: u, done: make(chan struct{})}
}

// at says which URL is being fetched now (after a redirect).
func (w *stallWatch) at(u *url.URL) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.url = u
}

// progress (re)starts the wait for the next sign of life.
func (w *stallWatch) progress() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped || w.started || w.prober == nil {
		return
	}
	if w.timer == nil {
		w.timer = time.AfterFunc(w.idle, w.stalled)
		return
	}
	w.timer.Reset(w.idle)
}

// trace counts a connection made, a handshake done, a request written and an answer begun as
// progress. Before a connection is up nothing is watched: a SYN is small, and a connection
// that never opens is no large-packet problem.
func (w *stallWatch) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				w.progress()
			}
		},
		TLSHandshakeDone:     func(_ tls.ConnectionState, err error) { w.progressIf(err) },
		WroteRequest:         func(i httptrace.WroteRequestInfo) { w.progressIf(i.Err) },
		GotFirstResponseByte: w.progress,
	}
}

func (w *stallWatch) progressIf(err error) {
	if err == nil {
		w.progress()
	}
}

// body makes every read of the page that brings bytes count as progress.
func (w *stallWatch) body(r io.Reader) io.Reader { return progressReader{r, w} }

type progressReader struct {
	r io.Reader
	w *stallWatch
}

func (p progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.w.progress()
	}
	return n, err
}

// stalled starts the probe, once, if there is time left for it.
func (w *stallWatch) stalled() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped || w.started {
		return
	}
	if deadline, ok := w.ctx.Deadline(); ok && time.Until(deadline) < minProbeTime {
		Logf(w.ctx, "no progress for %v, too little time left to probe the path", w.idle)
		return
	}
	Logf(w.ctx, "no progress for %v: probing the path with smaller packets", w.idle)
	w.started = true
	var ctx context.Context
	ctx, w.cancel = context.WithCancel(w.ctx)
	u := w.url
	go func() {
		defer close(w.done)
		w.finding = w.prober.probe(ctx, u)
	}()
}

// stop ends the watch when the fetch is over; a probe under way is dropped unread.
func (w *stallWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	if w.timer != nil {
		w.timer.Stop()
	}
	if w.cancel != nil {
		w.cancel()
	}
}

// finish ends the watch of a fetch that failed and returns what the probe found, waiting for
// it (it ends with the check's deadline at the latest); ok is false when no probe ran.
func (w *stallWatch) finish() (mtuFinding, bool) {
	w.mu.Lock()
	w.stopped = true
	if w.timer != nil {
		w.timer.Stop()
	}
	started := w.started
	w.mu.Unlock()
	if !started {
		return mtuFinding{}, false
	}
	<-w.done
	w.cancel()
	return w.finding, true
}
