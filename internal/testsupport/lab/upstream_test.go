//go:build linux

package lab

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// TestBlackholeUpstream checks from the client that the upstream black hole stops the user's
// traffic and the probe but leaves the resolvers answering, and that undoing it lets the
// traffic through again.
func TestBlackholeUpstream(t *testing.T) {
	need(t)
	t.Parallel()
	l := newTestLab(t)
	traffic := l.StartTraffic(50*time.Millisecond, 500*time.Millisecond)
	defer traffic.Stop()
	if err := traffic.WaitAnswered(3, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := l.BlackholeUpstream(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	if err := reach(ProbeAddr, 80, "tcp")(ctx, l); err == nil {
		t.Error("the probe answers through the black hole")
	}
	if err := resolve(DNS1Addr)(context.Background(), l); err != nil {
		t.Errorf("the resolver no longer answers: %v", err)
	}
	// Requests under way when the black hole came, and those after, fail.
	failed := traffic.Failed()
	if poll.Within(5*time.Second, func() bool { return traffic.Failed() >= failed+2 }) != nil {
		t.Errorf("the user's requests still get through: %d failed", traffic.Failed())
	}
	if err := l.UnblackholeUpstream(); err != nil {
		t.Fatal(err)
	}
	if err := traffic.WaitAnswered(2, 5*time.Second); err != nil {
		t.Errorf("after the repair: %v", err)
	}
}

// TestLoseToService checks that the lossy path still carries the user's requests.
func TestLoseToService(t *testing.T) {
	need(t)
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft")
	}
	t.Parallel()
	l := newTestLab(t)
	if err := l.LoseToService(5); err != nil {
		t.Fatal(err)
	}
	traffic := l.StartTraffic(20*time.Millisecond, 2*time.Second)
	defer traffic.Stop()
	if err := traffic.WaitAnswered(20, 10*time.Second); err != nil {
		t.Error(err)
	}
	if err := l.StopLoss(); err != nil {
		t.Error(err)
	}
}
