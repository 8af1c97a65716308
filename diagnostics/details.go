package diagnostics

// The keys of Result.Details, part of the report's contract (docs/report.md): scripts, the
// support bundle and the self-help ladder read them, so a key is added freely but never renamed
// or removed. Each is named once here and used through its constant everywhere.
const (
	// Details of several checks.
	DetailLatencyMS  = "latency_ms"  // number, milliseconds: the (slowest) answer's round trip
	DetailError      = "error"       // string: why there was no answer
	DetailStatus     = "status"      // integer: the HTTP status of the answer
	DetailPath       = "path"        // string: the fuller of the system and home folder's volumes (disk)
	DetailTotalBytes = "total_bytes" // integer, bytes: memory or disk size

	// network.interfaces
	DetailLinks      = "links"       // array: each non-VPN, non-loopback interface
	DetailIgnoredVPN = "ignored_vpn" // array of strings: interfaces left to the VPN checks

	// network.gateway
	DetailRoutes      = "routes"       // array: what each default route's router answered
	DetailMethod      = "method"       // string, one of GatewayMethods or "": how the router answered
	DetailLossPercent = "loss_percent" // number, percent: ICMP loss to the preferred router
	// Path quality (pathquality.go): to the router, and in "beyond" to the first router past it.
	DetailSamples      = "samples"        // integer: pings sent to the preferred router
	DetailLatencyP90MS = "latency_p90_ms" // number, milliseconds: 90th percentile round trip (latency_ms is the median)
	DetailJitterMS     = "jitter_ms"      // number, milliseconds: mean change between consecutive round trips
	DetailBeyond       = "beyond"         // object: the same figures for the first router beyond the gateway
	// DetailBeyondUnmeasured is a string, one of Beyond*: why "beyond" is missing.
	DetailBeyondUnmeasured = "beyond_unmeasured"

	// network.wifi
	DetailInterface = "interface"  // string: the Wi-Fi interface the default route leaves on
	DetailSignalDBM = "signal_dbm" // integer, dBm: the access point's signal as received
	DetailSignal    = "signal"     // string, one of WifiSignals: the signal in a word
	DetailRateMbps  = "rate_mbps"  // number, Mbit/s: the link's transmit rate, when known
	DetailBandGHz   = "band_ghz"   // string, "2.4", "5" or "6": the band, when known

	// network.dns
	DetailNames       = "names"        // array: each name looked up
	DetailServers     = "servers"      // array: each nameserver, its status one of DNSServerStatuses
	DetailDeadServers = "dead_servers" // array of strings: nameservers that never answered well
	// DetailServersUnasked says why the nameservers could not be asked directly (the computer
	// would not open the socket: a policy, a security product, or a Windows without the call).
	DetailServersUnasked = "servers_unasked" // string

	// network.internet
	DetailURL        = "url"         // string: the page asked for
	DetailProxy      = "proxy"       // string: the proxy used, or "none"
	DetailErrorKind  = "error_kind"  // string, one of ErrorKinds: why there was no answer
	DetailServerDate = "server_date" // string, RFC 3339: the answer's Date header
	DetailPortalURL  = "portal_url"  // string: the captive portal's login page, for its button
	DetailLocation   = "location"    // string: where the portal redirected to
	// network.internet over https (tls_issuer too): a certificate this computer trusts but no
	// public CA vouches for, as a TLS-inspecting proxy or firewall of a managed network shows.
	DetailTLSInspection = "tls_inspection" // boolean

	// network.ipv6
	DetailIPv6Mode    = "ipv6_mode"    // string, one of IPv6Modes
	DetailIPv6Route   = "ipv6_route"   // boolean: a global IPv6 address with a route beyond the link
	DetailIPv4Route   = "ipv4_route"   // boolean: a route for IPv4 to the internet
	DetailAAAA        = "aaaa"         // array of strings: the internet probe's IPv6 addresses
	DetailNAT64Prefix = "nat64_prefix" // string, CIDR: the NAT64 prefix DNS64 uses (RFC 7050)

	// The proxy: network.internet, service.<name>, system.clock
	DetailProxySource  = "proxy_source"  // string, one of netproxy.Sources: where the proxy choice came from
	DetailProxyProblem = "proxy_problem" // string, one of ProxyProblems: what the proxy did wrong
	DetailDirectOK     = "direct_ok"     // boolean: after the proxy failed, whether the page loaded without it

	// vpn.tunnel
	DetailInterfaces = "interfaces" // array of strings: the tunnels that are up
	DetailAddresses  = "addresses"  // object: each tunnel's addresses (CIDR strings)
	DetailPatterns   = "patterns"   // array of strings: the interface patterns looked for
	DetailRequired   = "required"   // boolean: whether the profile requires a tunnel
	DetailInactive   = "inactive"   // array of strings: tunnel interfaces that are down

	// vpn.internal
	DetailHosts = "hosts" // object: each host:port, whether and how fast it answered

	// service.<name>
	DetailViaVPN     = "via_vpn"     // boolean: the service lives behind the tunnel
	DetailFinalURL   = "final_url"   // string: where the redirects ended, without query
	DetailTLSExpires = "tls_expires" // string, RFC 3339: when the first certificate runs out
	DetailTLSIssuer  = "tls_issuer"  // string: who issued that certificate
	DetailTLSHost    = "tls_host"    // string: the host that presented it
	DetailTLSProblem = "tls_problem" // string, one of TLSProblems: why the certificate failed
	DetailBodyBytes  = "body_bytes"  // integer, bytes: how much of the page was loaded (at most 256 KiB)
	DetailBodyMS     = "body_ms"     // integer, milliseconds: from the answer's headers to the end of loading
	// After a stall: the page fetched again with packets capped at decreasing sizes (diagnostics/mtu.go).
	DetailMTUProbe     = "mtu_probe"      // string, one of MTUProbes: how the path was probed
	DetailMTUTried     = "mtu_tried"      // array: each size tried, {"bytes", "passed"}
	DetailPathMTUBytes = "path_mtu_bytes" // integer, bytes: the largest packet that passed (path_mtu)
	DetailMTUTunnel    = "mtu_tunnel"     // boolean: the probe's packets left through the VPN tunnel
	DetailMTUToProxy   = "mtu_to_proxy"   // boolean, echoes: they went to the page's proxy, not its host

	// system.cpu
	DetailBusyPercent = "busy_percent" // number, percent: how busy the processor was
	DetailCores       = "cores"        // integer: logical processors
	DetailLoad1       = "load1"        // number: load average over 1 minute
	DetailLoad5       = "load5"        // number: load average over 5 minutes
	DetailLoad15      = "load15"       // number: load average over 15 minutes

	// system.memory
	DetailUsedPercent    = "used_percent"    // number, percent: memory in use
	DetailAvailableBytes = "available_bytes" // integer, bytes: what programs can still have

	// system.disk
	DetailFreeBytes   = "free_bytes"   // integer, bytes: what an ordinary user may still write
	DetailFreePercent = "free_percent" // number, percent: free space
	// DetailDiskUsage (warn/fail): what the user can clear on that volume, largest first:
	// objects {"place" (one of DiskPlaces), "path", "bytes", "complete"}.
	DetailDiskUsage = "disk_usage"

	// system.reboot
	DetailRebootSince    = "reboot_since"    // string, RFC 3339: when the restart was first asked for
	DetailRebootSources  = "reboot_sources"  // list of strings (RebootSources): what asks for it
	DetailRebootPackages = "reboot_packages" // list of strings: the updates that ask, where listed

	// system.updates
	DetailUpdatesCount    = "updates_count"    // integer: updates waiting to be installed
	DetailUpdatesSecurity = "updates_security" // integer: of them, security updates
	DetailUpdatesSince    = "updates_since"    // string, RFC 3339: dates the wait, as updates_basis says
	DetailUpdatesBasis    = "updates_basis"    // string, one of UpdatesBases: what updates_since means
	DetailUpdatesNames    = "updates_names"    // list of strings: the first updates, as the system names them

	// system.uptime
	DetailUptimeS = "uptime_s" // integer, seconds since the computer started
	DetailDays    = "days"     // integer: the same in whole days

	// system.clock
	DetailSkewS     = "skew_s"    // number, seconds: how far the local clock is ahead
	DetailReference = "reference" // string: the server compared with

	// custom.<id>
	DetailKind     = "kind"      // string: the check's kind (http, tcp, dns, file, command, registry)
	DetailSeverity = "severity"  // string, warn or fail: what a failure counts as
	DetailTarget   = "target"    // string: what was looked at: the page, host:port, name, file or registry value
	DetailExitCode = "exit_code" // integer: the command's exit status
	DetailOutput   = "output"    // string: the command's first line of output, cleaned and cut
	DetailAgeS     = "age_s"     // integer, seconds since the file last changed
	DetailAdvice   = "advice"    // object of texts per language: the profile's advice, when it gives one

	// account.password and account.certificates
	DetailPasswordSource  = "password_source"  // string, one of PasswordSources: who told the password's expiry
	DetailPasswordExpires = "password_expires" // string, RFC 3339: when the password expires
	DetailDaysLeft        = "days_left"        // integer: whole days until the password (or a certificate) expires
	DetailTicketExpires   = "ticket_expires"   // string, RFC 3339: when the Kerberos sign-in ticket runs out
	DetailCertificates    = "certificates"     // array: the user's client certificates, {connection, use, issuer, not_after, days_left}
)

// DetailKeys lists every detail key above, so tests can hold them to the documentation.
var DetailKeys = []string{
	DetailLatencyMS, DetailError, DetailStatus, DetailPath, DetailTotalBytes,
	DetailLinks, DetailIgnoredVPN,
	DetailRoutes, DetailMethod, DetailLossPercent, DetailSamples, DetailLatencyP90MS, DetailJitterMS, DetailBeyond, DetailBeyondUnmeasured,
	DetailInterface, DetailSignalDBM, DetailSignal, DetailRateMbps, DetailBandGHz,
	DetailNames, DetailServers, DetailDeadServers, DetailServersUnasked,
	DetailURL, DetailProxy, DetailErrorKind, DetailServerDate, DetailPortalURL, DetailLocation,
	DetailTLSInspection,
	DetailIPv6Mode, DetailIPv6Route, DetailIPv4Route, DetailAAAA, DetailNAT64Prefix,
	DetailProxySource, DetailProxyProblem, DetailDirectOK,
	DetailInterfaces, DetailAddresses, DetailPatterns, DetailRequired, DetailInactive,
	DetailHosts,
	DetailViaVPN, DetailFinalURL, DetailTLSExpires, DetailTLSIssuer, DetailTLSHost, DetailTLSProblem,
	DetailBodyBytes, DetailBodyMS, DetailMTUProbe, DetailMTUTried, DetailPathMTUBytes, DetailMTUTunnel, DetailMTUToProxy,
	DetailBusyPercent, DetailCores, DetailLoad1, DetailLoad5, DetailLoad15,
	DetailUsedPercent, DetailAvailableBytes,
	DetailFreeBytes, DetailFreePercent,
	DetailDiskUsage,
	DetailRebootSince, DetailRebootSources, DetailRebootPackages,
	DetailUpdatesCount, DetailUpdatesSecurity, DetailUpdatesSince, DetailUpdatesBasis, DetailUpdatesNames,
	DetailUptimeS, DetailDays,
	DetailSkewS, DetailReference,
	DetailKind, DetailSeverity, DetailTarget, DetailExitCode, DetailOutput, DetailAgeS, DetailAdvice,
	DetailPasswordSource, DetailPasswordExpires, DetailDaysLeft, DetailTicketExpires, DetailCertificates,
}

// The values of DetailErrorKind: what support staff ask about first when a page did not load.
const (
	ErrorKindDNS     = "dns"     // the name did not resolve
	ErrorKindTLS     = "tls"     // the certificate was refused
	ErrorKindTimeout = "timeout" // no answer in time
	ErrorKindRefused = "refused" // the connection was refused
	ErrorKindConnect = "connect" // any other failure to connect
)

// ErrorKinds lists every value of DetailErrorKind.
var ErrorKinds = []string{ErrorKindDNS, ErrorKindTLS, ErrorKindTimeout, ErrorKindRefused, ErrorKindConnect}

// The values of DetailMethod (and of each route's "method"): how a router showed it is alive.
// An empty method means nothing answered.
const (
	MethodICMP      = "icmp"      // it answered a ping
	MethodTCP       = "tcp"       // it accepted or refused a TCP connection
	MethodNeighbour = "neighbour" // the neighbour table saw it lately
	MethodLink      = "link"      // an on-link default route: the interface itself is the evidence
)

// GatewayMethods lists every non-empty value of DetailMethod.
var GatewayMethods = []string{MethodICMP, MethodTCP, MethodNeighbour, MethodLink}

// The values of DetailTLSProblem: why a service's certificate was refused. Each also names a
// message, "check.service.tls_"+problem.
const (
	TLSExpired          = "expired"
	TLSNotYetValid      = "not_yet_valid"
	TLSUnknownAuthority = "unknown_authority"
	TLSWrongName        = "wrong_name"
	TLSInvalid          = "invalid"
)

// TLSProblems lists every value of DetailTLSProblem.
var TLSProblems = []string{TLSExpired, TLSNotYetValid, TLSUnknownAuthority, TLSWrongName, TLSInvalid}

// The values of DetailMTUProbe: how a stalled page's path was probed.
const (
	MTUProbeTCPMSS      = "tcp_mss"     // the page fetched again over TCP with a smaller maximum segment size
	MTUProbeUnsupported = "unsupported" // this system can neither cap a segment size nor send echoes: no probe
	MTUProbeICMPDF      = "icmp_df"     // echoes with Don't Fragment set at decreasing sizes (Windows), some answered
	MTUProbeICMPSilent  = "icmp_silent" // those echoes, none answered at any size: ICMP filtered, no proof
)

// MTUProbes lists every value of DetailMTUProbe.
var MTUProbes = []string{MTUProbeTCPMSS, MTUProbeUnsupported, MTUProbeICMPDF, MTUProbeICMPSilent}

// The values of a nameserver's "status" in DetailServers.
const (
	DNSServerOK      = "ok"      // it answered every query well
	DNSServerFailing = "failing" // it answered, but with errors
	DNSServerDead    = "dead"    // it never answered
)

// DNSServerStatuses lists every value of a nameserver's status.
var DNSServerStatuses = []string{DNSServerOK, DNSServerFailing, DNSServerDead}

// The values of DetailPasswordSource: where the password's expiry was read.
const (
	PasswordSourceChage         = "chage"          // Linux: chage -l, from /etc/shadow
	PasswordSourceWindowsDomain = "windows_domain" // Windows: the domain controller, NetUserGetInfo
	PasswordSourceWindowsLocal  = "windows_local"  // Windows: this computer's own accounts
)

// PasswordSources lists every value of DetailPasswordSource.
var PasswordSources = []string{PasswordSourceChage, PasswordSourceWindowsDomain, PasswordSourceWindowsLocal}

// The values of a certificate's "use" in DetailCertificates: what it signs in to.
const (
	CertUseVPN   = "vpn"   // a VPN connection
	CertUseWiFi  = "wifi"  // a Wi-Fi network (802.1X)
	CertUseWired = "wired" // a wired network (802.1X)
	CertUseStore = "store" // in the user's certificate store or keychain; what for is not told
)

// CertUses lists every value of a certificate's use.
var CertUses = []string{CertUseVPN, CertUseWiFi, CertUseWired, CertUseStore}
