//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// upstreamAddrs are what an upstream black hole takes away: everything beyond the router
// except the resolvers, which stand for the operator's own (they still answer, so the
// verdict is internet_unreachable rather than dns_failure).
var upstreamAddrs = []string{ProbeAddr, ServiceAddr}

// BlackholeUpstream makes the router silently drop everything to the internet probe and to the
// service, as when the uplink beyond the router is down: nothing local changes, the user's own
// connections to the service stall as the probe does.
func (l *Lab) BlackholeUpstream() error {
	var errs []error
	for _, a := range upstreamAddrs {
		errs = append(errs, ip("-n", l.Router, "route", "add", "blackhole", a+"/32"))
	}
	return errors.Join(errs...)
}

// UnblackholeUpstream lets the router forward beyond it again (undoes BlackholeUpstream).
func (l *Lab) UnblackholeUpstream() error {
	var errs []error
	for _, a := range upstreamAddrs {
		errs = append(errs, ip("-n", l.Router, "route", "del", "blackhole", a+"/32"))
	}
	return errors.Join(errs...)
}

// Traffic is a user's traffic from the client: HTTP requests to the service over one kept-alive
// TCP connection, one every period, as a web application that polls or a user browsing sends.
// A request that gets no answer within its timeout is abandoned with its connection, and the
// next one connects afresh, as browsers do.
type Traffic struct {
	ok, failed atomic.Int64
	cancel     context.CancelFunc
	wg         sync.WaitGroup
	client     *http.Client
}

// StartTraffic starts requests from the client namespace to the service every period until
// Stop. Each request may take timeout.
func (l *Lab) StartTraffic(period, timeout time.Duration) *Traffic {
	ctx, cancel := context.WithCancel(context.Background())
	t := &Traffic{cancel: cancel, client: &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			MaxIdleConnsPerHost: 1,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return Dial(ctx, l.Client, network, addr)
			},
		},
	}}
	url := "http://" + net.JoinHostPort(ServiceAddr, "80") + SmallPath
	t.every(ctx, period, func() { t.request(ctx, url) })
	return t
}

// every runs do at once and then every period, until ctx ends.
func (t *Traffic) every(ctx context.Context, period time.Duration, do func()) {
	t.wg.Go(func() {
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			do()
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
}

// request asks the service for url and counts whether the expected page came.
func (t *Traffic) request(ctx context.Context, url string) {
	if err := getExpect(ctx, t.client, url, ServiceBody); err != nil {
		t.failed.Add(1)
	} else {
		t.ok.Add(1)
	}
}

// WaitAnswered waits until n more requests than now have been answered, at most timeout.
func (t *Traffic) WaitAnswered(n int64, timeout time.Duration) error {
	want := t.ok.Load() + n
	if poll.Within(timeout, func() bool { return t.ok.Load() >= want }) != nil {
		return fmt.Errorf("the user's requests were not answered: %d answered, %d failed", t.ok.Load(), t.failed.Load())
	}
	return nil
}

// Answered counts the requests that were answered.
func (t *Traffic) Answered() int64 { return t.ok.Load() }

// Failed counts the requests that got no answer.
func (t *Traffic) Failed() int64 { return t.failed.Load() }

// Stop ends the traffic and closes its connection.
func (t *Traffic) Stop() {
	t.cancel()
	t.wg.Wait()
	t.client.CloseIdleConnections()
}

// LoseToService makes the router drop percent % of the packets between the client and the
// service at random, both ways: a lossy path that still works (TCP repairs the losses), on
// the user's traffic only, so that the watcher's own probe is not what suffers. Needs nft.
func (l *Lab) LoseToService(percent int) error {
	rule := func(dir string) string {
		return fmt.Sprintf("  ip %s %s numgen random mod 100 < %d drop\n", dir, ServiceAddr, percent)
	}
	return nft(l.Router, "table inet apurilab_loss {\n chain lossy {\n  type filter hook forward priority 0; policy accept;\n"+
		rule("daddr")+rule("saddr")+" }\n}\n")
}

// StopLoss ends LoseToService.
func (l *Lab) StopLoss() error {
	return nft(l.Router, "delete table inet apurilab_loss\n")
}
