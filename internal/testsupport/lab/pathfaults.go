//go:build linux

package lab

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Path faults: a link that works, but badly. Loss is made by nftables (`numgen random`), delay
// by a userspace wire, since this kernel has no netem.

// LossPercentOfPathFaults is what LoseOnAccessLink and LoseBeyondRouter drop: a quarter.
const LossPercentOfPathFaults = 25

// lossRule drops a quarter of what enters dev, as a bad radio or cable loses it. Only one
// direction is lossy, so a ping's round trip loses a quarter too, as the verdict says.
func lossRule(table, dev string) string {
	return fmt.Sprintf("table netdev %s {\n chain lossy {\n  type filter hook ingress device %q priority 0; policy accept;\n"+
		"  numgen random mod 4 == 0 drop\n }\n}\n", table, dev)
}

// NFTMissing says what the nftables faults need that is missing here, or "".
func NFTMissing() string {
	if _, err := exec.LookPath("nft"); err != nil {
		return "nft (apt-get install nftables)"
	}
	return ""
}

// LoseOnAccessLink makes the router lose a quarter of the packets that the client sends it, on
// lan0: the access network (a poor Wi-Fi, a bad cable) is lossy, the line beyond is fine.
func (l *Lab) LoseOnAccessLink() error { return nft(l.Router, lossRule("apurilab_access", "lan0")) }

// LoseBeyondRouter makes the router lose a quarter of what comes back from beyond it, on wan0:
// the client's own network is clean, the line to the internet is lossy.
func (l *Lab) LoseBeyondRouter() error { return nft(l.Router, lossRule("apurilab_wan", "wan0")) }

// DelayBeyondRouter replaces the router's wan0 link with a wire through this process that holds
// every packet for oneWay in each direction: the line beyond the router is slow for everything
// (pings, DNS, web), as a congested or satellite line is. It needs /dev/net/tun: the two ends are
// TUN devices with the addresses the veth pair had, and the wire copies IP packets between them.
func (l *Lab) DelayBeyondRouter(oneWay time.Duration) error {
	// Deleting wan0 deletes its peer, the net namespace's eth0, with its addresses and routes.
	if err := ip("-n", l.Router, "link", "del", "wan0"); err != nil {
		return err
	}
	router, err := openTUN(l.Router, "wan0")
	if err != nil {
		return err
	}
	far, err := openTUN(l.Net, "eth0")
	if err != nil {
		return errors.Join(err, router.Close())
	}
	w := &wire{delay: oneWay, a: router, b: far, done: make(chan struct{})}
	l.onClose(w.Close)
	w.start()
	netLines := []string{"link set eth0 up"}
	for _, a := range []string{NetAddr, DNS1Addr, DNS2Addr, ProbeAddr, ServiceAddr} {
		netLines = append(netLines, "addr add "+a+"/24 dev eth0")
	}
	netLines = append(netLines, "route add 192.0.2.0/24 via "+RouterWANAddr+" dev eth0")
	if err := ipBatch(l.Router, []string{"addr add " + RouterWANAddr + "/24 dev wan0", "link set wan0 up"}); err != nil {
		return err
	}
	// The resolvers and servers were bound to the old addresses; those come back unchanged, and
	// sockets bound to an address keep working when it is re-added.
	return ipBatch(l.Net, netLines)
}

// openTUN creates a TUN device (IP packets, no extra header) named name inside ns.
func openTUN(ns, name string) (*os.File, error) {
	var f *os.File
	err := Do(ns, func() error {
		fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
		if err != nil {
			return fmt.Errorf("open /dev/net/tun: %w", err)
		}
		ifr, err := unix.NewIfreq(name)
		if err != nil {
			unix.Close(fd)
			return err
		}
		ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
		if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
			unix.Close(fd)
			return fmt.Errorf("create tun %s in %s: %w", name, ns, err)
		}
		f = os.NewFile(uintptr(fd), "/dev/net/tun:"+name)
		return nil
	})
	return f, err
}

// wire copies IP packets between two TUN devices, each held for delay: a slow line.
type wire struct {
	delay time.Duration
	a, b  *os.File
	done  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
}

// held is a packet on the wire and when it may leave.
type held struct {
	due time.Time
	pkt []byte
}

func (w *wire) start() {
	for _, dir := range [][2]*os.File{{w.a, w.b}, {w.b, w.a}} {
		q := make(chan held, 4096)
		w.wg.Go(func() { w.carry(dir[0], q) })
		w.wg.Go(func() { w.deliver(q, dir[1]) })
	}
}

// carry reads packets as they come and queues them with their time to leave; a full queue
// drops, as a router's buffer does.
func (w *wire) carry(from *os.File, q chan<- held) {
	defer close(q)
	for {
		buf := make([]byte, 65536)
		n, err := from.Read(buf)
		if err != nil {
			return
		}
		select {
		case q <- held{due: time.Now().Add(w.delay), pkt: buf[:n]}:
		default:
		}
	}
}

// deliver writes each packet when its time comes, in order.
func (w *wire) deliver(q <-chan held, to *os.File) {
	for h := range q {
		select {
		case <-time.After(time.Until(h.due)):
		case <-w.done:
			return
		}
		_, _ = to.Write(h.pkt)
	}
}

// Close stops the wire and removes both TUN devices (they go with their last file).
func (w *wire) Close() error {
	var err error
	w.once.Do(func() {
		close(w.done)
		err = errors.Join(w.a.Close(), w.b.Close())
		w.wg.Wait()
	})
	return err
}
