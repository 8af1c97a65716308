package diagnostics

import (
	"context"
	"fmt"
	"sync"
)

// Check is one diagnostic probe. Its ID is part of the contract (docs/report.md).
// Run must honour ctx: the runner gives each check a deadline and will not wait past it.
type Check interface {
	ID() string
	Group() Group
	Run(ctx context.Context) Result
}

// The check IDs of the contract; services are ServicePrefix + the service's name.
const (
	IDInterfaces  = "network.interfaces"
	IDGateway     = "network.gateway"
	IDWifi        = "network.wifi"
	IDDNS         = "network.dns"
	IDInternet    = "network.internet"
	IDIPv6        = "network.ipv6"
	IDVPNTunnel   = "vpn.tunnel"
	IDVPNInternal = "vpn.internal"
	ServicePrefix = "service."
	IDCPU         = "system.cpu"
	IDMemory      = "system.memory"
	IDDisk        = "system.disk"
	IDReboot      = "system.reboot"
	IDUpdates     = "system.updates"
	IDUptime      = "system.uptime"
	IDClock       = "system.clock"
	// The user's account: account_password.go, account_certs.go.
	IDAccountPassword     = "account.password"
	IDAccountCertificates = "account.certificates"
)

type logKey struct{}

// checkLog collects the log lines of one check run; safe for the check's own goroutines.
type checkLog struct {
	mu    sync.Mutex
	lines []string
}

// Logf records a log line for the check running under ctx. The lines travel with the result,
// so the details window and the support bundle can show what a check actually did.
func Logf(ctx context.Context, format string, args ...any) {
	l, _ := ctx.Value(logKey{}).(*checkLog)
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) < maxLogLines {
		l.lines = append(l.lines, fmt.Sprintf(format, args...))
	}
}

// maxLogLines bounds what one check may log, so a chatty check cannot bloat the report.
const maxLogLines = 200

func (l *checkLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}
