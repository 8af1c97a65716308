//go:build linux

package lab

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"sync"
	"syscall"
	"time"
)

// Dnsmasq is one resolver: a dnsmasq bound to one address inside a namespace, answering only the
// lab's names (no upstream, no hosts file, no configuration from the host).
type Dnsmasq struct {
	Addr string
	cmd  *exec.Cmd
	log  *OutputBuffer
	done chan struct{}
	mu   sync.Mutex
	stop bool
}

// StartDnsmasq starts a resolver on addr:53 in ns that answers records (name → IPv4).
func StartDnsmasq(ns, addr string, records map[string]string, logf func(string, ...any)) (*Dnsmasq, error) {
	names := make([]string, 0, len(records))
	for n := range records {
		names = append(names, n)
	}
	sort.Strings(names)
	var answers []string
	for _, n := range names {
		answers = append(answers, fmt.Sprintf("--host-record=%s,%s", n, records[n]))
	}
	// The lab's domain is answered here alone: an AAAA query gets an empty answer at once
	// instead of REFUSED for want of an upstream server.
	answers = append(answers, "--local=/lab.test/")
	return startDnsmasq(ns, addr, answers, logf)
}

// startDnsmasq starts a resolver on addr:53 in ns whose answers are the dnsmasq options given.
func startDnsmasq(ns, addr string, answers []string, logf func(string, ...any)) (*Dnsmasq, error) {
	bin := dnsmasqBinary()
	if bin == "" {
		return nil, errors.New("dnsmasq not installed")
	}
	args := []string{"netns", "exec", ns, bin,
		"--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", "--conf-file=/dev/null",
		"--pid-file", "--bind-interfaces", "--listen-address=" + addr, "--port=53",
		"--user=root", "--cache-size=0", "--log-queries", "--log-facility=-"}
	args = append(args, answers...)
	d := &Dnsmasq{Addr: addr, log: &OutputBuffer{Max: maxLog}, done: make(chan struct{})}
	d.cmd = exec.Command("ip", args...)
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	// If the test process dies, so does the resolver.
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := d.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start dnsmasq on %s: %w", addr, err)
	}
	go func() {
		err := d.cmd.Wait()
		d.mu.Lock()
		stopped := d.stop
		d.mu.Unlock()
		if !stopped && logf != nil {
			logf("dnsmasq on %s exited: %v\n%s", addr, err, d.log.String())
		}
		close(d.done)
	}()
	return d, nil
}

// Kill stops the resolver at once, as a crashed DNS server would: its address stays, so
// queries are refused by the host (ICMP port unreachable) rather than lost.
func (d *Dnsmasq) Kill() error {
	d.mu.Lock()
	d.stop = true
	d.mu.Unlock()
	if err := d.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("kill dnsmasq on %s: %w", d.Addr, err)
	}
	select {
	case <-d.done:
		return nil
	case <-time.After(5 * time.Second):
		return fmt.Errorf("dnsmasq on %s did not exit", d.Addr)
	}
}

// Stop is Kill for cleanup: a resolver that already exited is fine.
func (d *Dnsmasq) Stop() error { return d.Kill() }

// Log is what dnsmasq printed (it logs every query).
func (d *Dnsmasq) Log() string { return d.log.String() }

func killPid(pid int) error {
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("kill %d: %w", pid, err)
	}
	return nil
}
