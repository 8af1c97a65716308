package diagnostics

// The values of Result.Reason: why, for machines, inside one check. They are part of the
// report's contract (docs/report.md): the verdict, the self-help ladder and scripts read them,
// so a reason is added freely but never renamed or removed.
const (
	// Reasons of several checks.
	ReasonUnreachable = "unreachable" // fail: nothing answered
	ReasonPartial     = "partial"     // warn: some answered, some did not
	ReasonSlow        = "slow"        // warn: the answer came later than the profile allows
	ReasonNoData      = "no_data"     // skip: the system would not tell
	ReasonTimeout     = "timeout"     // fail: the check missed its deadline and was abandoned
	ReasonCrashed     = "crashed"     // fail: the check broke (a bug)

	// network.interfaces
	ReasonNoLink    = "no_link"    // fail: nothing is connected
	ReasonNoAddress = "no_address" // fail: connected, but only a link-local address

	// network.gateway
	ReasonNoRoute = "no_route" // fail: no default route
	ReasonLoss    = "loss"     // warn: ICMP loss over the profile's limit
	// The same beyond the router: the first hop past it loses or answers slowly (pathquality.go).
	ReasonLossBeyond = "loss_beyond" // warn: loss to the first router beyond the gateway over the limit
	ReasonSlowBeyond = "slow_beyond" // warn: the first router beyond the gateway answers slowly

	// network.wifi
	ReasonNotWifi    = "not_wifi"    // skip: the traffic does not leave on Wi-Fi
	ReasonWeakSignal = "weak_signal" // warn: the Wi-Fi signal is weak

	// network.dns
	ReasonNoAnswer       = "no_answer"       // fail: no name resolved
	ReasonSystemResolver = "system_resolver" // warn: the servers answer, the system resolver does not
	ReasonDeadServer     = "dead_server"     // warn: a configured nameserver never answers
	ReasonNXDomain       = "nxdomain"        // warn: the servers say a name does not exist

	// network.internet
	ReasonCaptivePortal = "captive_portal" // fail: another page answered, a login wants in
	ReasonProxyAuth     = "proxy_auth"     // fail: the proxy wants a password
	ReasonProxyDown     = "proxy_down"     // fail: nothing answers at the proxy's address
	ReasonProxyRefused  = "proxy_refused"  // fail: the proxy answers but will not pass the request on

	// network.ipv6
	ReasonIPv6Broken = "ipv6_broken" // warn: IPv6 is offered, but a connection over it failed

	// vpn.tunnel and vpn.internal
	ReasonVPNDown       = "down"           // fail: no tunnel up, and the profile requires one
	ReasonVPNAbsent     = "absent"         // skip: no tunnel interface, and none required
	ReasonNotConfigured = "not_configured" // skip: the profile names no internal hosts

	// service.<name>
	ReasonTLS          = "tls"           // fail: the certificate is not valid
	ReasonHTTPStatus   = "http_status"   // fail: the server answered 5xx
	ReasonBadURL       = "bad_url"       // fail: the profile's address is not http(s)
	ReasonCertExpiring = "cert_expiring" // warn: a certificate runs out soon
	ReasonBodyStalled  = "body_stalled"  // fail: the server answered, but its page never finished loading
	ReasonPathMTU      = "path_mtu"      // fail: the page stalls at full size and loads in smaller packets

	// system.*
	ReasonCPUBusy       = "cpu_busy"       // warn: the processor is busy
	ReasonMemoryFull    = "memory_full"    // fail: memory is all but used up
	ReasonMemoryHigh    = "memory_high"    // warn: memory use is high
	ReasonDiskFull      = "disk_full"      // fail: the system or home folder's volume is all but full
	ReasonDiskLow       = "disk_low"       // warn: the system or home folder's volume is filling up
	ReasonLongUptime    = "long_uptime"    // warn: the computer has not restarted in a long time
	ReasonRebootPending = "reboot_pending" // warn: installed updates wait for a restart
	ReasonClockSkew     = "clock_skew"     // fail or warn: the clock is off
	ReasonNoReference   = "no_reference"   // skip: no server answered with a date

	// system.updates
	ReasonUpdatesWaiting = "updates_waiting" // warn: updates have waited to be installed too long

	// custom.<id>
	ReasonMismatch    = "mismatch"    // fail: an answer, but not the expected one (a page's text, an address, a registry value)
	ReasonMissing     = "missing"     // fail: the file or registry value is not there
	ReasonStale       = "stale"       // fail: the file is older than the profile allows
	ReasonExitStatus  = "exit_status" // warn or fail: the command said so by its exit status
	ReasonRefused     = "refused"     // fail: the command would run as another user or through a shell
	ReasonUnsupported = "unsupported" // skip: a registry check where there is no registry

	// account.*
	ReasonPasswordExpiring = "password_expiring" // warn: the password expires within thresholds.password_warn_days
	ReasonPasswordExpired  = "password_expired"  // fail: the password has expired
	ReasonAccountLocked    = "account_locked"    // fail: the account is locked, disabled or has expired
	ReasonTicketExpired    = "ticket_expired"    // warn: the Kerberos sign-in ticket has run out
	ReasonCertExpired      = "cert_expired"      // fail: a client certificate has expired
)

// Reasons lists every reason above, each once.
var Reasons = []string{
	ReasonUnreachable, ReasonPartial, ReasonSlow, ReasonNoData, ReasonTimeout, ReasonCrashed,
	ReasonNoLink, ReasonNoAddress,
	ReasonNoRoute, ReasonLoss, ReasonLossBeyond, ReasonSlowBeyond,
	ReasonNotWifi, ReasonWeakSignal,
	ReasonNoAnswer, ReasonSystemResolver, ReasonDeadServer, ReasonNXDomain,
	ReasonCaptivePortal, ReasonProxyAuth, ReasonProxyDown, ReasonProxyRefused,
	ReasonIPv6Broken,
	ReasonVPNDown, ReasonVPNAbsent, ReasonNotConfigured,
	ReasonTLS, ReasonHTTPStatus, ReasonBadURL, ReasonCertExpiring, ReasonBodyStalled, ReasonPathMTU,
	ReasonCPUBusy, ReasonMemoryFull, ReasonMemoryHigh, ReasonDiskFull, ReasonDiskLow,
	ReasonLongUptime, ReasonRebootPending, ReasonClockSkew, ReasonNoReference,
	ReasonUpdatesWaiting,
	ReasonMismatch, ReasonMissing, ReasonStale, ReasonExitStatus, ReasonRefused, ReasonUnsupported,
	ReasonPasswordExpiring, ReasonPasswordExpired, ReasonAccountLocked, ReasonTicketExpired, ReasonCertExpired,
}
