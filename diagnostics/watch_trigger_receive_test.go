package diagnostics

import (
	"net/netip"
	"testing"
	"time"
)

// rx is established connection id to peer, having received bytes, the last of them quiet ago.
func rx(id uint64, peer netip.Addr, bytes uint64, quiet time.Duration) tcpConn {
	return tcpConn{ID: id, Peer: peer, Received: bytes, Quiet: quiet}
}

func TestTCPTriggerDownloads(t *testing.T) {
	const s, MB = time.Second, 1 << 20
	ms := time.Millisecond
	tests := []struct {
		name  string
		steps []trigStep
		// lists is how often the connections may be listed, -1 for any number.
		lists int
	}{
		{"a download that stops receiving probes once it has been quiet for a second", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 3*MB, 2*ms)}, wait: 1 * s},
			{at: 2 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 6*MB, 3*ms)}, wait: 1 * s},
			// The path broke 400 ms ago: look again when the download has been quiet for 1 s.
			{at: 3 * s, in: 2 * MB, conns: []tcpConn{rx(1, peerA, 8*MB, 400*ms)}, wait: 600 * ms},
			{at: 3600 * ms, conns: []tcpConn{rx(1, peerA, 8*MB, 1000*ms)}, fire: true, wait: 10 * s},
		}, 4},
		{"a download that stopped early in the period is still judged", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 3*MB, 2*ms)}, wait: 1 * s},
			{at: 2 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 6*MB, 3*ms)}, wait: 1 * s},
			{at: 3 * s, in: 10 << 10, conns: []tcpConn{rx(1, peerA, 6*MB+10<<10, 950*ms)}, wait: 50 * ms},
			{at: 3050 * ms, conns: []tcpConn{rx(1, peerA, 6*MB+10<<10, 1000*ms)}, fire: true, wait: 10 * s},
			// Once is enough: still quiet, no second probe.
			{at: 4050 * ms, conns: []tcpConn{rx(1, peerA, 6*MB+10<<10, 2000*ms)}, wait: 10 * s},
		}, -1},
		{"a short transfer that ends is no download", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, in: 300 << 10, conns: []tcpConn{rx(1, peerA, 300<<10, 200*ms)}, wait: 1 * s},
			{at: 2 * s, conns: []tcpConn{rx(1, peerA, 300<<10, 1200*ms)}, wait: 10 * s},
			{at: 12 * s, wait: 10 * s},
		}, 1},
		{"a trickle that pauses is no download", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 3*MB, 2*ms), rx(2, peerB, 1000, 100*ms)}, wait: 1 * s},
			{at: 2 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 6*MB, 3*ms), rx(2, peerB, 2000, 100*ms)}, wait: 1 * s},
			{at: 3 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 9*MB, 3*ms), rx(2, peerB, 2000, 1100*ms)}, wait: 1 * s},
		}, -1},
		{"a download the application stopped reading is no stall", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 3*MB, 2*ms)}, wait: 1 * s},
			{at: 2 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 6*MB, 3*ms)}, wait: 1 * s},
			{at: 3 * s, conns: []tcpConn{{ID: 1, Peer: peerA, Received: 6 * MB, Quiet: 1100 * ms, Unread: 4 << 20}}, wait: 10 * s},
			{at: 13 * s, wait: 10 * s},
		}, 3},
		{"a download that ended probes once; its peer is then left alone", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 3*MB, 2*ms)}, wait: 1 * s},
			{at: 2 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 6*MB, 3*ms)}, wait: 1 * s},
			{at: 3 * s, conns: []tcpConn{rx(1, peerA, 6*MB, 1000*ms)}, fire: true, wait: 10 * s},
			{at: 4 * s, probe: harmlessProbe, wait: 10 * s},
			{at: 60 * s, in: 3 * MB, conns: []tcpConn{rx(2, peerA, 3*MB, 2*ms)}, wait: 1 * s},
			{at: 61 * s, in: 3 * MB, conns: []tcpConn{rx(2, peerA, 6*MB, 2*ms)}, wait: 1 * s},
			{at: 62 * s, conns: []tcpConn{rx(2, peerA, 6*MB, 1000*ms)}, wait: 10 * s},
		}, -1},
		{"a download in flight that keeps receiving never probes", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 3*MB, 2*ms)}, wait: 1 * s},
			{at: 2 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 6*MB, 3*ms)}, wait: 1 * s},
			{at: 3 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 9*MB, 1*ms)}, wait: 1 * s},
			{at: 4 * s, in: 3 * MB, conns: []tcpConn{rx(1, peerA, 12*MB, 8*ms)}, wait: 1 * s},
		}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTCP{}
			playTrigger(t, f, tt.steps)
			// The first probe lists the connections once to learn what is old news.
			if tt.lists >= 0 && f.listReads != tt.lists+1 {
				t.Errorf("connections listed %d times, want %d", f.listReads-1, tt.lists)
			}
		})
	}
}
