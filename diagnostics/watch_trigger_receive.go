package diagnostics

import "time"

// A download in flight sends nothing but acknowledgements: when the path beyond the router
// drops everything, it has nothing to retransmit and no timer runs, it simply stops receiving.
// The trigger follows the connections that receive at download speed and calls one stalled
// when it has received at that speed over a whole sampling period and then nothing at all for
// receiveQuiet, with nothing left unread by the application (a full receive queue is the
// application pausing, not the network).
//
// From this computer a download that stalled looks like one that ended and whose connection
// is kept alive for the next request; only the probe can tell them apart. So that pages,
// images and idle keep-alives stay out of it, only a transfer of more than a sampling period
// at receiveRate or faster counts: a long download, a video, an update. When such a download
// ends the trigger may probe once, harmlessly; the peer is then left alone and the gap
// between triggered probes grows (see watch_trigger.go).

const (
	// receiveRate is the speed of a download in flight: 32 KiB/s, slower than any page
	// load, faster than a chat, a push channel or a stock ticker.
	receiveRate = 32 << 10
	// receiveQuiet is how long a download in flight must receive nothing to count as stalled:
	// far longer than a working path's round trip or a server's short pause, short enough
	// that the probe still ends within 5 s of the loss.
	receiveQuiet = time.Second
)

// download is what the trigger remembers of a connection that receives.
type download struct {
	bytes uint64
	seen  time.Time // when bytes was read
	// inFlight says it has received at receiveRate over a whole period between two listings,
	// and not yet gone quiet for good.
	inFlight bool
	// reported says its stall has started a probe: once is enough, until it receives again.
	reported bool
}

// downloads are the connections the trigger follows, by ID.
type downloads map[uint64]download

// inFlight says whether any download is being followed, so the connections must be listed at
// the next sample even if nothing arrives.
func (d downloads) inFlight() bool {
	for _, dl := range d {
		if dl.inFlight && !dl.reported {
			return true
		}
	}
	return false
}

// update follows the listed connections: it returns the downloads that have stalled, and how
// soon to look again when one has just gone quiet (0: none has).
func (d downloads) update(now time.Time, conns []tcpConn) (stalled []tcpConn, recheck time.Duration) {
	listed := make(map[uint64]bool, len(conns))
	for _, c := range conns {
		if c.Connecting || c.Received == 0 {
			continue
		}
		listed[c.ID] = true
		dl, known := d[c.ID]
		if !known || c.Received < dl.bytes {
			d[c.ID] = download{bytes: c.Received, seen: now}
			continue
		}
		got := c.Received - dl.bytes
		if got > 0 {
			switch {
			case rateOf(got, now.Sub(dl.seen)) >= receiveRate:
				dl = download{inFlight: true}
			case !dl.inFlight || c.Quiet < receiveQuiet/4:
				dl = download{} // a trickle, not a download
			}
			// Otherwise it was in flight until it went quiet in this period.
			dl.bytes, dl.seen = c.Received, now
		}
		switch {
		case !dl.inFlight || dl.reported:
		case c.Unread > 0:
			dl.inFlight = false // the application stopped reading
		case c.Quiet >= receiveQuiet:
			stalled = append(stalled, c)
		case got == 0 || c.Quiet >= receiveQuiet/4:
			// Gone quiet: look again once it has been quiet for long enough.
			recheck = minPositive(recheck, receiveQuiet-c.Quiet)
		}
		d[c.ID] = dl
	}
	for id := range d {
		if !listed[id] {
			delete(d, id)
		}
	}
	return stalled, recheck
}

// reported marks a stalled download as having started a probe.
func (d downloads) reported(id uint64) {
	if dl, ok := d[id]; ok {
		dl.reported = true
		d[id] = dl
	}
}

// rateOf is bytes per second received over elapsed; a burst with no time measured is no rate.
func rateOf(bytes uint64, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(bytes) / elapsed.Seconds()
}

func minPositive(a, b time.Duration) time.Duration {
	if a <= 0 {
		return b
	}
	return min(a, b)
}
