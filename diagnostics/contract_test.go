package diagnostics

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// The report's strings as they travel: written out here, not taken from the constants, so that
// renaming a constant's value breaks this test and not the scripts that read reports.
var (
	wireDetailKeys = []string{
		"aaaa",
		"addresses",
		"advice",
		"age_s",
		"available_bytes",
		"band_ghz",
		"beyond",
		"beyond_unmeasured",
		"body_bytes",
		"body_ms",
		"busy_percent",
		"certificates",
		"cores",
		"days",
		"days_left",
		"dead_servers",
		"direct_ok",
		"disk_usage",
		"error",
		"error_kind",
		"exit_code",
		"final_url",
		"free_bytes",
		"free_percent",
		"hosts",
		"ignored_vpn",
		"inactive",
		"interface",
		"interfaces",
		"ipv4_route",
		"ipv6_mode",
		"ipv6_route",
		"jitter_ms",
		"kind",
		"latency_ms",
		"latency_p90_ms",
		"links",
		"load1",
		"load15",
		"load5",
		"location",
		"loss_percent",
		"method",
		"mtu_probe",
		"mtu_to_proxy",
		"mtu_tried",
		"mtu_tunnel",
		"names",
		"nat64_prefix",
		"output",
		"password_expires",
		"password_source",
		"path",
		"path_mtu_bytes",
		"patterns",
		"portal_url",
		"proxy",
		"proxy_problem",
		"proxy_source",
		"rate_mbps",
		"reboot_packages",
		"reboot_since",
		"reboot_sources",
		"reference",
		"required",
		"routes",
		"samples",
		"server_date",
		"servers",
		"servers_unasked",
		"severity",
		"signal",
		"signal_dbm",
		"skew_s",
		"status",
		"target",
		"ticket_expires",
		"tls_expires",
		"tls_host",
		"tls_inspection",
		"tls_issuer",
		"tls_problem",
		"total_bytes",
		"updates_basis",
		"updates_count",
		"updates_names",
		"updates_security",
		"updates_since",
		"uptime_s",
		"url",
		"used_percent",
		"via_vpn",
	}
	wireReasons = []string{
		"absent",
		"account_locked",
		"bad_url",
		"body_stalled",
		"captive_portal",
		"cert_expired",
		"cert_expiring",
		"clock_skew",
		"cpu_busy",
		"crashed",
		"dead_server",
		"disk_full",
		"disk_low",
		"down",
		"exit_status",
		"http_status",
		"ipv6_broken",
		"long_uptime",
		"loss",
		"loss_beyond",
		"memory_full",
		"memory_high",
		"mismatch",
		"missing",
		"no_address",
		"no_answer",
		"no_data",
		"no_link",
		"no_reference",
		"no_route",
		"not_configured",
		"not_wifi",
		"nxdomain",
		"partial",
		"password_expired",
		"password_expiring",
		"path_mtu",
		"proxy_auth",
		"proxy_down",
		"proxy_refused",
		"reboot_pending",
		"refused",
		"slow",
		"slow_beyond",
		"stale",
		"system_resolver",
		"ticket_expired",
		"timeout",
		"tls",
		"unreachable",
		"unsupported",
		"updates_waiting",
		"weak_signal",
	}
	wireErrorKinds = []string{
		"connect",
		"dns",
		"refused",
		"timeout",
		"tls",
	}
	wireGatewayMethods = []string{
		"icmp",
		"link",
		"neighbour",
		"tcp",
	}
	wireTLSProblems = []string{
		"expired",
		"invalid",
		"not_yet_valid",
		"unknown_authority",
		"wrong_name",
	}
	wireDNSServerStatuses = []string{
		"dead",
		"failing",
		"ok",
	}
	wireBeyondUnmeasured = []string{"hop_silent", "no_hop", "no_target", "ping_failed", "unsupported"}
	wireMTUProbes        = []string{
		"icmp_df",
		"icmp_silent",
		"tcp_mss",
		"unsupported",
	}
	wireProxyProblems = []string{
		"auth",
		"down",
		"refused",
	}
	wireWifiSignals = []string{
		"excellent",
		"fair",
		"good",
		"weak",
	}
	wireRebootSources = []string{
		"component_servicing",
		"file_rename",
		"needs_restarting",
		"packages",
		"software_update",
		"windows_update",
		"zypper",
	}
	wireDiskPlaces = []string{
		"cache",
		"downloads",
		"temp",
		"trash",
	}
	wireUpdatesBases = []string{
		"last_installed",
		"oldest_published",
	}
	wirePasswordSources = []string{
		"chage",
		"windows_domain",
		"windows_local",
	}
	wireCertUses = []string{
		"store",
		"vpn",
		"wifi",
		"wired",
	}
)

// contractLists are the exported lists of the report's strings, by name.
func contractLists() map[string][]string {
	return map[string][]string{
		"DetailKeys": DetailKeys, "Reasons": Reasons, "ErrorKinds": ErrorKinds,
		"GatewayMethods": GatewayMethods, "TLSProblems": TLSProblems, "DNSServerStatuses": DNSServerStatuses,
		"MTUProbes":        MTUProbes,
		"BeyondUnmeasured": BeyondUnmeasured,
		"RebootSources":    RebootSources,
		"ProxyProblems":    ProxyProblems,
		"WifiSignals":      WifiSignals,
		"UpdatesBases":     UpdatesBases,
		"DiskPlaces":       DiskPlaces,
		"PasswordSources":  PasswordSources, "CertUses": CertUses,
	}
}

func TestContractStringsKeepTheirValues(t *testing.T) {
	want := map[string][]string{
		"DetailKeys": wireDetailKeys, "Reasons": wireReasons, "ErrorKinds": wireErrorKinds,
		"GatewayMethods": wireGatewayMethods, "TLSProblems": wireTLSProblems, "DNSServerStatuses": wireDNSServerStatuses,
		"MTUProbes":        wireMTUProbes,
		"BeyondUnmeasured": wireBeyondUnmeasured,
		"RebootSources":    wireRebootSources,
		"ProxyProblems":    wireProxyProblems,
		"WifiSignals":      wireWifiSignals,
		"UpdatesBases":     wireUpdatesBases,
		"DiskPlaces":       wireDiskPlaces,
		"PasswordSources":  wirePasswordSources, "CertUses": wireCertUses,
	}
	for name, list := range contractLists() {
		got := slices.Clone(list)
		slices.Sort(got)
		if len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("%s lists a value twice: %v", name, got)
		}
		if !slices.Equal(got, slices.Sorted(slices.Values(want[name]))) {
			t.Errorf("%s is\n%v\nthe report promises\n%v", name, got, want[name])
		}
	}
}

// reportDoc is the documentation of the report's format, relative to this package.
const reportDoc = "../docs/report.md"

// TestContractStringsAreDocumented: every detail key, reason and value a script may meet is
// described in the report's documentation, as `value`.
func TestContractStringsAreDocumented(t *testing.T) {
	doc, err := os.ReadFile(reportDoc)
	if err != nil {
		t.Fatal(err)
	}
	for name, list := range contractLists() {
		for _, v := range list {
			if !strings.Contains(string(doc), "`"+v+"`") {
				t.Errorf("%s: %q is not in %s", name, v, reportDoc)
			}
		}
	}
}

// assertContract holds one result a check really produced to the contract: its message is a
// listed one, its reason and detail keys are the documented ones, and so are the values of the
// enumerated details.
func assertContract(t *testing.T, r Result) {
	t.Helper()
	assertMessage(t, r.Message)
	if r.Reason != "" && !slices.Contains(Reasons, r.Reason) {
		t.Errorf("%s: reason %q is not in Reasons", r.Message.Key, r.Reason)
	}
	for k, v := range r.Details {
		if !slices.Contains(DetailKeys, k) {
			t.Errorf("%s: detail %q is not in DetailKeys", r.Message.Key, k)
		}
		s, _ := v.(string)
		switch k {
		case DetailErrorKind:
			if !slices.Contains(ErrorKinds, s) {
				t.Errorf("%s: error_kind %q is not in ErrorKinds", r.Message.Key, v)
			}
		case DetailMethod:
			if s != "" && !slices.Contains(GatewayMethods, s) {
				t.Errorf("%s: method %q is not in GatewayMethods", r.Message.Key, v)
			}
		case DetailMTUProbe:
			if !slices.Contains(MTUProbes, s) {
				t.Errorf("%s: mtu_probe %q is not in MTUProbes", r.Message.Key, v)
			}
		case DetailBeyondUnmeasured:
			if !slices.Contains(BeyondUnmeasured, s) {
				t.Errorf("%s: beyond_unmeasured %q is not in BeyondUnmeasured", r.Message.Key, v)
			}
		case DetailTLSProblem:
			if !slices.Contains(TLSProblems, s) {
				t.Errorf("%s: tls_problem %q is not in TLSProblems", r.Message.Key, v)
			}
		case DetailDiskUsage:
			for _, u := range v.([]diskUsage) {
				if !slices.Contains(DiskPlaces, u.Place) {
					t.Errorf("%s: disk_usage place %q is not in DiskPlaces", r.Message.Key, u.Place)
				}
			}
		case DetailPasswordSource:
			if !slices.Contains(PasswordSources, s) {
				t.Errorf("%s: password_source %q is not in PasswordSources", r.Message.Key, v)
			}
		case DetailCertificates:
			certs, _ := v.([]certificateDetail)
			for _, c := range certs {
				if !slices.Contains(CertUses, c.Use) {
					t.Errorf("%s: certificate use %q is not in CertUses", r.Message.Key, c.Use)
				}
			}
		case DetailServers:
			servers, _ := v.([]dnsServerDetail)
			for _, sd := range servers {
				if !slices.Contains(DNSServerStatuses, sd.Status) {
					t.Errorf("%s: nameserver status %q is not in DNSServerStatuses", r.Message.Key, sd.Status)
				}
			}
		}
	}
}
