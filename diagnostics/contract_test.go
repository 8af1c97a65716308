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
		"available_bytes",
		"body_bytes",
		"body_ms",
		"busy_percent",
		"certificates",
		"cores",
		"days",
		"days_left",
		"dead_servers",
		"error",
		"error_kind",
		"final_url",
		"free_bytes",
		"free_percent",
		"hosts",
		"ignored_vpn",
		"inactive",
		"interfaces",
		"ipv4_route",
		"ipv6_mode",
		"ipv6_route",
		"latency_ms",
		"links",
		"load1",
		"load15",
		"load5",
		"location",
		"loss_percent",
		"method",
		"mtu_probe",
		"mtu_tried",
		"mtu_tunnel",
		"names",
		"nat64_prefix",
		"password_expires",
		"password_source",
		"path",
		"path_mtu_bytes",
		"patterns",
		"portal_url",
		"proxy",
		"reboot_packages",
		"reboot_since",
		"reboot_sources",
		"reference",
		"required",
		"routes",
		"server_date",
		"servers",
		"skew_s",
		"status",
		"ticket_expires",
		"tls_expires",
		"tls_host",
		"tls_inspection",
		"tls_issuer",
		"tls_problem",
		"total_bytes",
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
		"http_status",
		"ipv6_broken",
		"long_uptime",
		"loss",
		"memory_full",
		"memory_high",
		"no_address",
		"no_answer",
		"no_data",
		"no_link",
		"no_reference",
		"no_route",
		"not_configured",
		"nxdomain",
		"partial",
		"password_expired",
		"password_expiring",
		"path_mtu",
		"proxy_auth",
		"reboot_pending",
		"slow",
		"system_resolver",
		"ticket_expired",
		"timeout",
		"tls",
		"unreachable",
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
	wireMTUProbes = []string{
		"tcp_mss",
		"unsupported",
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
		"MTUProbes":       MTUProbes,
		"RebootSources":   RebootSources,
		"PasswordSources": PasswordSources, "CertUses": CertUses,
	}
}

func TestContractStringsKeepTheirValues(t *testing.T) {
	want := map[string][]string{
		"DetailKeys": wireDetailKeys, "Reasons": wireReasons, "ErrorKinds": wireErrorKinds,
		"GatewayMethods": wireGatewayMethods, "TLSProblems": wireTLSProblems, "DNSServerStatuses": wireDNSServerStatuses,
		"MTUProbes":       wireMTUProbes,
		"RebootSources":   wireRebootSources,
		"PasswordSources": wirePasswordSources, "CertUses": wireCertUses,
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
		case DetailTLSProblem:
			if !slices.Contains(TLSProblems, s) {
				t.Errorf("%s: tls_problem %q is not in TLSProblems", r.Message.Key, v)
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
