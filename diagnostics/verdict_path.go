package diagnostics

import (
	"slices"

	"github.com/apuri-project/apuri/i18n"
)

// A bad link makes everything above it time out, and whichever probe lost the most would
// otherwise take the blame: a service, the VPN. The rule: when the gateway check measured a
// degraded path (loss or delay over the profile's limits, to the router or beyond it), a
// failure that loss or delay explains — silence, a timeout, a page that stalled — is the path's,
// and the verdict is degraded, with the figures in its sentence. A failure that no loss
// produces — a 500, a refused connection, a name that does not exist — still names its own
// layer. Never blame a service for a bad link.

// pathReasons are the gateway check's reasons for a degraded path.
var pathReasons = []string{ReasonLoss, ReasonSlow, ReasonLossBeyond, ReasonSlowBeyond}

// degradedPath is the gateway check's result when it found the path degraded.
func degradedPath(all []Result) (Result, bool) {
	for _, r := range all {
		if r.ID == IDGateway && r.Status == StatusWarn && slices.Contains(pathReasons, r.Reason) {
			return r, true
		}
	}
	return Result{}, false
}

// lossLike reports whether a failure is what a lossy or slow path produces: nothing answered
// in time. An answer that says no (a refusal, an error status, a bad certificate) is not.
func lossLike(r Result) bool {
	switch {
	case r.Group == GroupSystem || r.ID == IDInterfaces || r.ID == IDGateway || r.ID == IDVPNTunnel || r.ID == IDWifi:
		return false
	case largePacketsLost(r):
		// Probing proved the stall was the packets' size, not their loss.
		return false
	case r.Reason == ReasonTimeout || r.Reason == ReasonBodyStalled:
		return true
	}
	kind, _ := r.Details[DetailErrorKind].(string)
	return kind == ErrorKindTimeout
}

// explainedByPath reports whether r failed because of a degraded path.
func explainedByPath(r Result, all []Result) bool {
	if r.Status != StatusFail || !lossLike(r) {
		return false
	}
	_, ok := degradedPath(all)
	return ok
}

// pathVerdict makes a degraded verdict say what is degraded: the path's figures, or a weak Wi-Fi
// signal; the gateway (and the Wi-Fi) lead the evidence, and a Wi-Fi link leads the advice to
// moving closer. Other verdicts pass unchanged.
func pathVerdict(v Verdict, all []Result) Verdict {
	if v.Cause != CauseDegraded {
		return v
	}
	wifi, onWifi := wifiResult(all)
	gw, degraded := degradedPath(all)
	lead := []string{}
	switch {
	case degraded:
		v.Message = pathMessage(gw)
		lead = append(lead, gw.ID)
	case onWifi && wifi.Status == StatusWarn:
		v.Message = i18n.Message{Key: "verdict.degraded.wifi_weak", Args: wifi.Message.Args}
	default:
		return v
	}
	if onWifi {
		lead = append(lead, wifi.ID)
		v.AdviceKeys = []string{"advice.move_closer", "advice.reconnect_network", "advice.restart_computer"}
	} else if degraded {
		v.AdviceKeys = []string{"advice.reconnect_network", "advice.restart_computer", "advice.ask_colleagues"}
	}
	var rest []string
	for _, id := range v.Evidence {
		if !slices.Contains(lead, id) {
			rest = append(rest, id)
		}
	}
	v.Evidence = append(lead, rest...)
	return v
}

// pathMessage is the sentence for a degraded path, with its figures and the loss in words.
func pathMessage(gw Result) i18n.Message {
	args := map[string]any{"gateway": gw.Message.Args["gateway"]}
	fig := pathFigures{}
	where := "local"
	if gw.Reason == ReasonLossBeyond || gw.Reason == ReasonSlowBeyond {
		where = "beyond"
		switch b := gw.Details[DetailBeyond].(type) {
		case pathFigures:
			fig = b
		case map[string]any: // a report read back from JSON
			fig.LossPercent, _ = number(b[DetailLossPercent])
			fig.LatencyMS, _ = number(b[DetailLatencyMS])
			fig.JitterMS, _ = number(b[DetailJitterMS])
		}
	} else {
		fig.LossPercent, _ = number(gw.Details[DetailLossPercent])
		fig.LatencyMS, _ = number(gw.Details[DetailLatencyMS])
		fig.JitterMS, _ = number(gw.Details[DetailJitterMS])
	}
	what := "slow"
	if gw.Reason == ReasonLoss || gw.Reason == ReasonLossBeyond {
		what = "loss"
		share := lossShare(fig.LossPercent)
		args["share"] = i18n.Each(func(lang string) string { return i18n.New(lang).T("path.share."+share, nil) })
	}
	args["loss_percent"], args["latency_ms"], args["jitter_ms"] = fig.LossPercent, fig.LatencyMS, fig.JitterMS
	return i18n.Message{Key: "verdict.degraded.path_" + what + "_" + where, Args: args}
}

// wifiResult is the Wi-Fi check's result when the computer is on Wi-Fi.
func wifiResult(all []Result) (Result, bool) {
	for _, r := range all {
		if r.ID == IDWifi && (r.Status == StatusOK || r.Status == StatusWarn) {
			return r, true
		}
	}
	return Result{}, false
}

// PathVerdictKeys lists every message key pathVerdict gives and every share of lost packets in
// words, for the translation tests.
var PathVerdictKeys = func() []string {
	keys := []string{"verdict.degraded.wifi_weak", "advice.move_closer"}
	for _, what := range []string{"loss", "slow"} {
		for _, where := range []string{"local", "beyond"} {
			keys = append(keys, "verdict.degraded.path_"+what+"_"+where)
		}
	}
	for _, s := range lossShares {
		keys = append(keys, "path.share."+s.share)
	}
	return keys
}()
