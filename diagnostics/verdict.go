package diagnostics

import (
	"strings"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// Cause names the first broken layer (docs/report.md, a contract).
type Cause string

// The causes, bottom layer first.
const (
	CauseNoLink             Cause = "no_link"
	CauseNoAddress          Cause = "no_address"
	CauseNoRoute            Cause = "no_route"
	CauseGatewayUnreachable Cause = "gateway_unreachable"
	CauseDNSFailure         Cause = "dns_failure"
	CauseProxyFailure       Cause = "proxy_failure"
	CauseCaptivePortal      Cause = "captive_portal"
	CauseInternetUnreach    Cause = "internet_unreachable"
	CauseVPNDown            Cause = "vpn_down"
	CauseVPNBroken          Cause = "vpn_broken"
	CauseVPNMTU             Cause = "vpn_mtu"  // verdict_mtu.go
	CausePathMTU            Cause = "path_mtu" // verdict_mtu.go
	CauseServiceDown        Cause = "service_down"
	CauseCustomCheck        Cause = "custom_check" // one of the organisation's own checks ([[checks]])
	CauseDegraded           Cause = "degraded"
	CauseLocalResources     Cause = "local_resources"
	CauseClockSkew          Cause = "clock_skew"
	CauseAccount            Cause = "account" // verdict_account.go
	CauseHealthy            Cause = "healthy"
)

// Causes lists every cause, bottom layer first.
var Causes = []Cause{
	CauseNoLink, CauseNoAddress, CauseNoRoute, CauseGatewayUnreachable, CauseDNSFailure,
	CauseProxyFailure, CauseCaptivePortal, CauseInternetUnreach, CauseVPNDown, CauseVPNBroken, CauseVPNMTU, CausePathMTU,
	CauseServiceDown, CauseDegraded, CauseCustomCheck, CauseLocalResources, CauseClockSkew, CauseAccount, CauseHealthy,
}

// Verdict names the first broken layer, with the evidence and what to try.
type Verdict struct {
	Cause   Cause        `json:"cause"`
	Status  Status       `json:"status"`
	Message i18n.Message `json:"message"`
	Summary string       `json:"summary"`
	// AdviceKeys are translation keys of the self-help steps, most promising first.
	AdviceKeys []string `json:"advice_keys"`
	// Advice is AdviceKeys rendered in the reader's language (filled by Report.Localize).
	Advice []string `json:"advice"`
	// Evidence lists the IDs of the checks that show the cause.
	Evidence []string `json:"evidence"`
	// Disruption is the known disruption that explains the cause, nil when none does.
	Disruption *Disruption `json:"known_disruption,omitempty"`
}

// adviceFor gives each cause its self-help steps, in the order the support guide would try them.
var adviceFor = map[Cause][]string{
	CauseNoLink:             {"advice.connect_network", "advice.restart_computer", "advice.ask_colleagues"},
	CauseNoAddress:          {"advice.reconnect_network", "advice.restart_computer", "advice.ask_colleagues"},
	CauseNoRoute:            {"advice.reconnect_network", "advice.restart_computer", "advice.ask_colleagues"},
	CauseGatewayUnreachable: {"advice.reconnect_network", "advice.ask_colleagues", "advice.restart_computer"},
	CauseDNSFailure:         {"advice.reconnect_network", "advice.restart_computer", "advice.ask_colleagues"},
	CauseProxyFailure:       {"advice.proxy_settings", "advice.ask_colleagues", "advice.call_if_urgent"},
	CauseCaptivePortal:      {"advice.open_login_page"},
	CauseInternetUnreach:    {"advice.ask_colleagues", "advice.reconnect_network", "advice.call_if_urgent"},
	CauseVPNDown:            {"advice.reconnect_vpn", "advice.restart_computer"},
	CauseVPNBroken:          {"advice.reconnect_vpn", "advice.ask_colleagues", "advice.call_if_urgent"},
	CauseVPNMTU:             {"advice.reconnect_vpn", "advice.other_network", "advice.call_if_urgent"},
	CausePathMTU:            {"advice.other_network", "advice.ask_colleagues", "advice.call_if_urgent"},
	CauseServiceDown:        {"advice.relogin_service", "advice.other_browser", "advice.read_instructions", "advice.ask_colleagues"},
	CauseCustomCheck:        {"advice.ask_colleagues", "advice.call_if_urgent"}, // verdict_custom.go
	CauseDegraded:           {"advice.use_cable", "advice.reconnect_network", "advice.restart_computer"},
	CauseLocalResources:     {"advice.restart_computer", "advice.close_programs", "advice.free_disk"},
	CauseClockSkew:          {"advice.sync_clock", "advice.restart_computer"},
	CauseAccount:            {"advice.change_password", "advice.call_if_urgent"},
	CauseHealthy:            {"advice.relogin_service", "advice.other_browser"},
}

// Advice returns the self-help steps for a cause.
func Advice(c Cause) []string { return append([]string(nil), adviceFor[c]...) }

// layerRule maps failing (or warning) results to the cause they prove.
type layerRule struct {
	cause Cause
	match func(r Result, all []Result) bool
}

func isService(r Result) bool               { return strings.HasPrefix(r.ID, ServicePrefix) }
func reasonIs(r Result, reason string) bool { return r.Reason == reason }

// tunnelMissing reports whether the VPN tunnel check found no working tunnel.
func tunnelMissing(all []Result) bool {
	for _, r := range all {
		if r.ID == IDVPNTunnel {
			return r.Status == StatusFail || r.Reason == ReasonVPNAbsent
		}
	}
	return false
}

// serviceTitle is what people call a service in a sentence: its title, which the translator
// renders in the reader's language, or its name written as a name. Never the bare ID.
func serviceTitle(r Result) any {
	if len(r.Title) > 0 {
		return r.Title
	}
	return profile.DisplayName(strings.TrimPrefix(r.ID, ServicePrefix))
}

func viaVPN(r Result) bool { v, _ := r.Details[DetailViaVPN].(bool); return v }

// failRules walk the layers bottom-up: the first rule a failing check matches is the verdict.
var failRules = []layerRule{
	{CauseNoLink, func(r Result, _ []Result) bool { return r.ID == IDInterfaces && reasonIs(r, ReasonNoLink) }},
	{CauseNoAddress, func(r Result, _ []Result) bool { return r.ID == IDInterfaces }},
	{CauseNoRoute, func(r Result, _ []Result) bool { return r.ID == IDGateway && reasonIs(r, ReasonNoRoute) }},
	{CauseGatewayUnreachable, func(r Result, _ []Result) bool { return r.ID == IDGateway }},
	{CauseDNSFailure, func(r Result, _ []Result) bool { return r.ID == IDDNS }},
	{CauseProxyFailure, func(r Result, _ []Result) bool { return isProxyReason(r.Reason) }},
	{CauseCaptivePortal, func(r Result, _ []Result) bool { return r.ID == IDInternet && reasonIs(r, ReasonCaptivePortal) }},
	{CauseInternetUnreach, func(r Result, _ []Result) bool { return r.ID == IDInternet }},
	{CauseVPNDown, func(r Result, all []Result) bool {
		// A service reached only through the tunnel fails because the tunnel is down.
		return r.ID == IDVPNTunnel || (isService(r) && viaVPN(r) && tunnelMissing(all))
	}},
	{CauseVPNBroken, func(r Result, _ []Result) bool { return r.ID == IDVPNInternal }},
	{CauseVPNMTU, func(r Result, _ []Result) bool { return largePacketsLost(r) && throughTunnel(r) }},
	{CausePathMTU, func(r Result, _ []Result) bool { return largePacketsLost(r) }},
	// A locked account or an expired password stops every sign-in, the services' too; an
	// expired certificate of the user's explains no service's failure.
	{CauseAccount, func(r Result, _ []Result) bool { return r.ID == IDAccountPassword && accountFault(r) }},
	{CauseServiceDown, func(r Result, _ []Result) bool { return isService(r) }},
	{CauseDegraded, explainedByPath}, // timeouts above a lossy or slow path are the path's (verdict_path.go)
	{CauseAccount, func(r Result, _ []Result) bool { return r.ID == IDAccountCertificates && accountFault(r) }},
	{CauseCustomCheck, func(r Result, _ []Result) bool { return isCustom(r) }},
	{CauseLocalResources, func(r Result, _ []Result) bool {
		return r.Group == GroupSystem && r.ID != IDClock
	}},
	{CauseClockSkew, func(r Result, _ []Result) bool { return r.ID == IDClock }},
}

// warnRules apply when nothing failed: the first warning that matches names the cause.
var warnRules = []layerRule{
	// A custom check with severity warn says nothing about the connection: its own cause.
	{CauseDegraded, func(r Result, _ []Result) bool {
		return r.Group != GroupSystem && r.Group != GroupAccount && !isCustom(r)
	}},
	{CauseCustomCheck, func(r Result, _ []Result) bool { return isCustom(r) }},
	{CauseAccount, func(r Result, _ []Result) bool { return accountFault(r) }},
	{CauseLocalResources, func(r Result, _ []Result) bool { return r.Group == GroupSystem && r.ID != IDClock }},
	{CauseClockSkew, func(r Result, _ []Result) bool { return r.ID == IDClock }},
}

// Decide walks the layers bottom-up and names the first broken one. Every check's result is
// considered, so a check that depends on a lower layer (DNS needs a route) never hides it.
func Decide(results []Result) Verdict {
	if v, ok := firstMatch(results, StatusFail, failRules); ok {
		return v
	}
	if v, ok := firstMatch(results, StatusWarn, warnRules); ok {
		return v
	}
	return Verdict{
		Cause: CauseHealthy, Status: StatusOK, Message: i18n.Msg("verdict.healthy"),
		AdviceKeys: Advice(CauseHealthy), Evidence: []string{},
	}
}

func firstMatch(results []Result, status Status, rules []layerRule) (Verdict, bool) {
	for _, rule := range rules {
		var evidence []Result
		for _, r := range results {
			if r.Status == status && rule.match(r, results) && (rule.cause == CauseDegraded || !explainedByPath(r, results)) {
				evidence = append(evidence, r)
			}
		}
		if len(evidence) == 0 {
			continue
		}
		ids := make([]string, len(evidence))
		for i, r := range evidence {
			ids[i] = r.ID
		}
		first := evidence[0]
		args := map[string]any{"check": first.ID}
		for k, v := range first.Message.Args {
			args[k] = v
		}
		if isService(first) {
			args["service"] = serviceTitle(first)
		}
		if isCustom(first) {
			args["title"] = customTitle(first)
			if a, ok := first.Details[DetailAdvice]; ok {
				args["advice"] = a
			}
		}
		key := "verdict." + string(rule.cause)
		if rule.cause == CauseCustomCheck && status == StatusWarn {
			key += ".warn" // a warning is no claim that anything is down
		}
		if rule.cause == CauseLocalResources {
			key = resourceVerdict(first, args)
		}
		key = certVerdict(rule.cause, key, first, results)
		key = pageVerdict(rule.cause, key, first)
		key = ipv6Verdict(rule.cause, key, first)
		key = proxyVerdict(rule.cause, key, first)
		key, ids = accountVerdict(rule.cause, key, first, results, args, ids)
		v := Verdict{Cause: rule.cause, Status: status, Message: i18n.Message{Key: key, Args: args}, Evidence: ids}
		v.AdviceKeys = verdictAdvice(v)
		return pathVerdict(v, results), true
	}
	return Verdict{}, false
}
