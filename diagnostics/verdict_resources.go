package diagnostics

import (
	"math"
	"slices"
)

// A computer short of resources is short of one thing: the verdict names it (the disk that is
// 97 % full, and which one; the memory; the processor; updates waiting for a restart; 23 days
// without a restart) and gives the advice for it, rather than a list of everything it might be.

// resourceKeys are the verdict's message for each of the computer's own checks.
var resourceKeys = map[string]string{
	IDDisk:   "verdict.local_resources.disk",
	IDMemory: "verdict.local_resources.memory",
	IDCPU:    "verdict.local_resources.cpu",
	IDReboot: "verdict.local_resources.reboot",
	IDUptime: "verdict.local_resources.uptime",

	IDUpdates: "verdict.local_resources.updates",
}

// resourceAdvice is what to try for each of them, most promising first. Advice is rendered
// with the verdict's arguments, so it can name the disk.
var resourceAdvice = map[string][]string{
	"verdict.local_resources.disk":         {"advice.free_disk_named", "advice.restart_computer"},
	"verdict.local_resources.memory":       {"advice.close_programs", "advice.restart_computer"},
	"verdict.local_resources.cpu":          {"advice.close_programs", "advice.restart_computer"},
	"verdict.local_resources.uptime":       {"advice.restart_computer", "advice.close_programs"},
	"verdict.local_resources.reboot":       {"advice.restart_computer"},
	"verdict.local_resources.reboot_since": {"advice.restart_computer"},

	"verdict.local_resources.updates": {"advice.install_updates", "advice.restart_computer"},
}

// resourceVerdict is the message of a local_resources verdict shown by r: the key that names
// the resource and, beside r's own arguments, the disk's path and how full it is.
func resourceVerdict(r Result, args map[string]any) string {
	key, ok := resourceKeys[r.ID]
	if !ok {
		return "verdict." + string(CauseLocalResources)
	}
	if r.ID == IDReboot && args["since"] != nil {
		return key + "_since"
	}
	if r.ID == IDDisk {
		path, _ := r.Details[DetailPath].(string)
		free, ok := number(r.Details[DetailFreePercent])
		if path == "" || !ok {
			return "verdict." + string(CauseLocalResources)
		}
		// The same rounding as the check's own sentence ("only 2 % free" and "98 % full").
		args["path"] = path
		args["used_percent"] = 100 - int(math.Floor(free))
	}
	return key
}

// verdictAdvice is the advice for a verdict: for a resource, the advice for that one.
func verdictAdvice(v Verdict) []string {
	if advice, ok := resourceAdvice[v.Message.Key]; ok {
		return append([]string(nil), advice...)
	}
	if advice, ok := accountAdvice[v.Message.Key]; ok {
		return slices.Clone(advice)
	}
	if advice, ok := certAdvice(v.Message.Key); ok {
		return advice
	}
	if advice, ok := customAdvice(v); ok {
		return advice
	}
	if v.Message.Key == ipv6BrokenVerdict {
		return append([]string(nil), ipv6BrokenAdvice...)
	}
	return Advice(v.Cause)
}
