package diagnostics

import (
	"maps"
	"slices"
)

// messageArgs is every message a check reports in Result.Message, with the names of the
// arguments it always carries. The translations may use only these names, and a check gives
// every one of them: tests hold both the texts in every language and the results the checks
// really produce to this list.
var messageArgs = map[string][]string{
	// any check, from the runner
	"check.timeout": {"seconds"},
	"check.crashed": {"error"},

	// network.interfaces
	"check.interfaces.no_address": {"links"},
	"check.interfaces.no_link":    nil,
	"check.interfaces.ok":         {"links"},
	"check.interfaces.unknown":    {"error"},

	// network.gateway
	"check.gateway.loss":         {"gateway", "loss_percent"},
	"check.gateway.no_route":     nil,
	"check.gateway.ok":           {"gateway", "latency_ms", "method"},
	"check.gateway.ok_link":      {"interface"},
	"check.gateway.ok_neighbour": {"gateway"},
	"check.gateway.partial":      {"alive", "gateway"},
	"check.gateway.slow":         {"gateway", "latency_ms"},
	"check.gateway.unknown":      {"error"},
	"check.gateway.unreachable":  {"gateway"},
	"check.gateway.loss_beyond":  {"hop", "loss_percent"},
	"check.gateway.slow_beyond":  {"hop", "latency_ms"},

	// network.wifi
	"check.wifi.ok":          {"signal", "signal_dbm"},
	"check.wifi.weak":        {"signal", "signal_dbm"},
	"check.wifi.not_wifi":    nil,
	"check.wifi.unsupported": nil,
	"check.wifi.unknown":     {"error"},

	// network.dns
	"check.dns.dead_servers": {"servers"},
	"check.dns.fail":         {"servers"},
	"check.dns.name_fails":   {"names"},
	"check.dns.no_names":     nil,
	"check.dns.nxdomain":     {"names"},
	"check.dns.ok":           {"latency_ms", "names"},
	"check.dns.slow":         {"latency_ms"},
	"check.dns.system_fails": {"names"},

	// network.internet
	"check.internet.bad_url":        {"error"},
	"check.internet.captive_portal": {"portal"},
	"check.internet.no_url":         nil,
	"check.internet.ok":             {"latency_ms"},
	"check.internet.proxy_auth":     {"proxy"},
	"check.internet.proxy_down":     {"proxy"},
	"check.internet.proxy_refused":  {"proxy"},
	"check.internet.server_error":   {"status"},
	"check.internet.slow":           {"latency_ms"},
	"check.internet.tls":            {"error"},
	"check.internet.unreachable":    {"error"},

	// network.ipv6
	"check.ipv6.broken":    nil,
	"check.ipv6.dual":      nil,
	"check.ipv6.ipv6_only": nil,
	"check.ipv6.none":      nil,

	// vpn.tunnel
	"check.vpn_tunnel.absent":  nil,
	"check.vpn_tunnel.down":    nil,
	"check.vpn_tunnel.ok":      {"interfaces"},
	"check.vpn_tunnel.unknown": nil,

	// vpn.internal
	"check.vpn_internal.no_tunnel":       nil,
	"check.vpn_internal.none_configured": nil,
	"check.vpn_internal.ok":              {"count", "latency_ms"},
	"check.vpn_internal.partial":         {"count", "hosts", "reachable"},
	"check.vpn_internal.slow":            {"count", "latency_ms"},
	"check.vpn_internal.unreachable":     {"count"},

	// service.<name>; each of TLSProblems has its check.service.tls_<problem>
	"check.service.proxy":                 {"service", "proxy"},
	"check.service.bad_url":               {"service"},
	"check.service.cert_expiring":         {"days", "service"},
	"check.service.http_status":           {"service", "status"},
	"check.service.ok":                    {"latency_ms", "service", "status"},
	"check.service.slow":                  {"latency_ms", "service"},
	"check.service.timeout":               {"service"},
	"check.service.tls_expired":           {"service"},
	"check.service.tls_not_yet_valid":     {"service"},
	"check.service.body_stalled":          {"service"},
	"check.service.path_mtu":              {"bytes", "service"},
	"check.service.tls_invalid":           {"service"},
	"check.service.tls_unknown_authority": {"service"},
	"check.service.tls_wrong_name":        {"service"},
	"check.service.unreachable":           {"service"},

	// custom.<id>: every message carries the check's title
	"check.custom.command_not_run":      {"title"},
	"check.custom.command_ok":           {"title"},
	"check.custom.command_problem":      {"code", "title"},
	"check.custom.command_refused":      {"title"},
	"check.custom.command_said":         {"output", "title"},
	"check.custom.dns_fail":             {"title"},
	"check.custom.dns_ok":               {"latency_ms", "title"},
	"check.custom.dns_wrong":            {"title", "want"},
	"check.custom.file_absent":          {"title"},
	"check.custom.file_missing":         {"title"},
	"check.custom.file_ok":              {"title"},
	"check.custom.file_old":             {"age", "title"},
	"check.custom.file_old_days":        {"days", "title"},
	"check.custom.file_unreadable":      {"title"},
	"check.custom.http_body":            {"title"},
	"check.custom.http_ok":              {"latency_ms", "status", "title"},
	"check.custom.http_status":          {"status", "title", "want"},
	"check.custom.registry_missing":     {"title"},
	"check.custom.registry_ok":          {"title"},
	"check.custom.registry_unsupported": {"title"},
	"check.custom.registry_wrong":       {"title", "want"},
	"check.custom.tcp_ok":               {"latency_ms", "title"},
	"check.custom.timeout":              {"title"},
	"check.custom.unknown_kind":         {"title"},
	"check.custom.unreachable":          {"title"},

	// system.cpu
	"check.cpu.busy":        {"percent"},
	"check.cpu.ok":          {"percent"},
	"check.cpu.unavailable": nil,

	// system.memory
	"check.memory.full":        {"percent"},
	"check.memory.high":        {"percent"},
	"check.memory.ok":          {"percent"},
	"check.memory.unavailable": nil,

	// system.disk
	"check.disk.full":        {"percent"},
	"check.disk.low":         {"percent"},
	"check.disk.ok":          {"percent"},
	"check.disk.unavailable": nil,

	// system.reboot
	"check.reboot.none":          nil,
	"check.reboot.pending":       nil,
	"check.reboot.pending_since": {"since"},
	"check.reboot.unavailable":   nil,

	// system.updates
	"check.updates.none":                nil,
	"check.updates.waiting":             {"count"},
	"check.updates.waiting_days":        {"count", "days"},
	"check.updates.last_installed_days": {"count", "days"},
	"check.updates.unavailable":         nil,
	"check.updates.still_asking":        nil,

	// system.uptime
	"check.uptime.long":        {"days"},
	"check.uptime.ok":          {"days"},
	"check.uptime.unavailable": nil,

	// system.clock
	"check.clock.no_reference": nil,
	"check.clock.ok":           nil,
	"check.clock.skewed":       {"seconds"},
	"check.clock.wrong":        {"minutes"},

	// account.password
	"check.password.expired":        nil,
	"check.password.expiring":       {"days"},
	"check.password.locked":         nil,
	"check.password.never":          nil,
	"check.password.ok":             {"days"},
	"check.password.ticket_expired": {"since"},
	"check.password.ticket_ok":      {"until"},
	"check.password.unavailable":    nil,

	// account.certificates
	"check.certificates.expired":        {"connection"},
	"check.certificates.expired_store":  {"issuer"},
	"check.certificates.expiring":       {"connection", "days"},
	"check.certificates.expiring_store": {"days", "issuer"},
	"check.certificates.none":           nil,
	"check.certificates.ok":             {"count"},
	"check.certificates.unavailable":    nil,
}

// MessageKeys returns the translation key of every message a check can report, sorted.
func MessageKeys() []string { return slices.Sorted(maps.Keys(messageArgs)) }

// MessageArgs returns the names of the arguments the check message key carries, sorted, and
// whether key is a check message at all.
func MessageArgs(key string) ([]string, bool) {
	args, ok := messageArgs[key]
	return slices.Clone(args), ok
}
