package diagnostics

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/closedport"
	"github.com/apuri-project/apuri/profile"
)

// openPort listens on a loopback port and accepts until the test ends.
func openPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l.Addr().String()
}

// stepNow is a clock that advances by step on every reading; safe for concurrent probes.
func stepNow(step time.Duration) func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(step)
		return t
	}
}

// blockingDial never connects: it waits for the deadline, as a black-holed route does.
func blockingDial(ctx context.Context, _, _ string) (net.Conn, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestVPNInternal(t *testing.T) {
	up := tunnelNetInfo{links: []Link{ethLink, link("wg0", true, "10.8.0.2/32")}}
	none := tunnelNetInfo{links: []Link{ethLink}}
	open1, open2, closed := openPort(t), openPort(t), closedport.Addr(t)

	tests := []struct {
		name    string
		vpn     profile.VPN
		net     NetInfo
		dial    func(ctx context.Context, network, addr string) (net.Conn, error)
		now     func() time.Time
		timeout time.Duration
		status  Status
		reason  string
		key     string
		reached int
		latency float64 // checked when set
	}{
		{
			name:   "nothing configured",
			vpn:    profile.VPN{Required: true},
			net:    up,
			status: StatusSkip, reason: "not_configured", key: "check.vpn_internal.none_configured",
		},
		{
			name:   "no tunnel and none required: nothing to prove",
			vpn:    profile.VPN{InternalHosts: []string{open1}},
			net:    none,
			status: StatusSkip, reason: ReasonVPNAbsent, key: "check.vpn_internal.no_tunnel",
		},
		{
			name:   "all hosts answer",
			vpn:    profile.VPN{InternalHosts: []string{open1, open2}},
			net:    up,
			status: StatusOK, key: "check.vpn_internal.ok", reached: 2,
		},
		{
			name:   "some hosts answer",
			vpn:    profile.VPN{InternalHosts: []string{open1, closed}},
			net:    up,
			status: StatusWarn, reason: "partial", key: "check.vpn_internal.partial", reached: 1,
		},
		{
			name:   "no host answers: closed port",
			vpn:    profile.VPN{InternalHosts: []string{closed}},
			net:    up,
			status: StatusFail, reason: "unreachable", key: "check.vpn_internal.unreachable",
		},
		{
			name:   "required tunnel missing: probed anyway, as evidence",
			vpn:    profile.VPN{Required: true, InternalHosts: []string{closed}},
			net:    none,
			status: StatusFail, reason: "unreachable", key: "check.vpn_internal.unreachable",
		},
		{
			name:   "links unreadable: probed anyway",
			vpn:    profile.VPN{InternalHosts: []string{open1}},
			net:    tunnelNetInfo{err: errors.New("no netlink")},
			status: StatusOK, key: "check.vpn_internal.ok", reached: 1,
		},
		{
			name:   "hosts answer slowly",
			vpn:    profile.VPN{InternalHosts: []string{open1}},
			net:    up,
			now:    stepNow(3 * time.Second),
			status: StatusWarn, reason: "slow", key: "check.vpn_internal.slow", reached: 1, latency: 3000,
		},
		{
			name:    "black hole until the deadline",
			vpn:     profile.VPN{InternalHosts: []string{"127.0.0.2:443", "127.0.0.3:443"}},
			net:     up,
			dial:    blockingDial,
			timeout: 20 * time.Millisecond,
			status:  StatusFail, reason: "unreachable", key: "check.vpn_internal.unreachable",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newVPNInternalCheck(&profile.Profile{VPN: tt.vpn}, tt.net).(*vpnInternalCheck)
			if tt.dial != nil {
				c.dial = tt.dial
			}
			if tt.now != nil {
				c.now = tt.now
			}
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			r := c.Run(ctx)
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s (%v)", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key, r.Details)
			}
			if tt.status == StatusSkip {
				return
			}
			hosts, _ := r.Details["hosts"].(map[string]hostProbe)
			if len(hosts) != len(tt.vpn.InternalHosts) {
				t.Fatalf("hosts detail = %v", r.Details["hosts"])
			}
			reached := 0
			for h, p := range hosts {
				if p.Reachable {
					reached++
				} else if p.Error == "" {
					t.Errorf("%s: unreachable without an error", h)
				}
			}
			if reached != tt.reached {
				t.Errorf("reached %d hosts, want %d", reached, tt.reached)
			}
			if tt.latency != 0 && r.Details["latency_ms"] != tt.latency {
				t.Errorf("latency_ms = %v, want %v", r.Details["latency_ms"], tt.latency)
			}
		})
	}
}

func TestVPNInternalMessageArgs(t *testing.T) {
	closed := closedport.Addr(t)
	c := newVPNInternalCheck(&profile.Profile{VPN: profile.VPN{
		Required: true, InternalHosts: []string{openPort(t), closed, openPort(t)},
	}}, nil).(*vpnInternalCheck)
	r := c.Run(context.Background())
	assertContract(t, r)
	want := map[string]any{"reachable": 2, "count": 3, "hosts": closed}
	for k, v := range want {
		if r.Message.Args[k] != v {
			t.Errorf("arg %s = %v, want %v", k, r.Message.Args[k], v)
		}
	}
}
