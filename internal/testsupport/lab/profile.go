//go:build linux

package lab

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The profile's service names; their checks are "service.<name>".
const (
	ServiceCheckName  = "portal"
	InternalCheckName = "intranet"
)

// ProfileOptions change the lab profile.
type ProfileOptions struct {
	// CheckTimeout and Total are the profile's timeouts (defaults 2 s and 3 s).
	CheckTimeout, Total time.Duration
	// InternetByIP probes the internet at ProbeAddr instead of ProbeName, so the probe does not
	// depend on DNS.
	InternetByIP bool
	// VPNOptional writes required = false: a missing tunnel is then not a fault by itself.
	VPNOptional bool
	// DiskFreePercent replaces the lenient disk threshold (1 %), to make the computer's own
	// state the finding: any disk with an operating system on it has less than 99 % free.
	DiskFreePercent float64
	// ProbeHTTPS and ServiceHTTPS ask for the probe and the service over https (port 443, see
	// Lab.ServeTLS); ServiceTitle gives the service a title for the sentences that name it.
	ProbeHTTPS, ServiceHTTPS bool
	ServiceTitle             string
	// FeedURL names a feed of known disruptions, read with FeedTimeout (default 2 s).
	FeedURL     string
	FeedTimeout time.Duration
	// LatencyMS replaces the latency threshold (default LatencyMS), for runs that carry an
	// overhead of their own (the Windows build under Wine).
	LatencyMS int
}

// LatencyMS is the lab profile's latency threshold: far above anything a healthy lab shows
// (well under 10 ms), so only an injected delay crosses it.
const LatencyMS = 500

// ProfileTOML is the lab's organisation profile: its names, its probe, a required VPN with the
// internal host, one normal service and one through the tunnel. The computer's own thresholds
// are as lenient as validation allows (uptime 365 days, 1 % disk free, 100 % memory and CPU), so the machine running the tests cannot change a verdict.
func ProfileTOML(o ProfileOptions) string {
	if o.CheckTimeout == 0 {
		o.CheckTimeout = 2 * time.Second
	}
	if o.DiskFreePercent == 0 {
		o.DiskFreePercent = 1
	}
	if o.LatencyMS == 0 {
		o.LatencyMS = LatencyMS
	}
	if o.Total == 0 {
		o.Total = 3 * time.Second
	}
	probe := "http://" + ProbeName + "/"
	if o.InternetByIP {
		probe = "http://" + ProbeAddr + "/"
	}
	if o.ProbeHTTPS {
		probe = "https://" + ProbeName + "/"
	}
	service := "http://" + ServiceName + "/"
	if o.ServiceHTTPS {
		service = "https://" + ServiceName + "/"
	}
	q := strconv.Quote
	lines := []string{
		"schema = 1",
		"",
		"[organisation]",
		`name = "Apuri lab"`,
		"",
		"[network]",
		fmt.Sprintf("dns_names = [%s, %s]", q(ProbeName), q(ServiceName)),
		"internet_url = " + q(probe),
		"internet_expect = " + q(ProbeBody),
		"",
		"[vpn]",
		"required = " + strconv.FormatBool(!o.VPNOptional),
		`interfaces = ["tun*"]`,
		fmt.Sprintf("internal_hosts = [%s]", q(fmt.Sprintf("%s:%d", InternalAddr, InternalPort))),
		"",
		"[[services]]",
		"name = " + q(ServiceCheckName),
		"url = " + q(service),
		"",
		"[[services]]",
		"name = " + q(InternalCheckName),
		"url = " + q("http://"+InternalName+"/"),
		"via_vpn = true",
		"",
		"[thresholds]",
		"uptime_days = 365",
		"disk_free_percent = " + strconv.FormatFloat(o.DiskFreePercent, 'f', -1, 64),
		"memory_used_percent = 100",
		"cpu_busy_percent = 100",
		// The lab's servers share this computer's clock, so only an injected skew shows.
		"clock_skew_s = 60",
		"latency_ms = " + strconv.Itoa(o.LatencyMS),
		"",
		"[timeouts]",
		"check = " + q(o.CheckTimeout.String()),
		"total = " + q(o.Total.String()),
		"",
	}
	if o.ServiceTitle != "" {
		for i, line := range lines {
			if line == "url = "+q(service) {
				lines = append(lines[:i+1], append([]string{"title = " + q(o.ServiceTitle)}, lines[i+1:]...)...)
				break
			}
		}
	}
	if o.FeedURL != "" {
		if o.FeedTimeout == 0 {
			o.FeedTimeout = 2 * time.Second
		}
		lines = append(lines, "[disruptions]", "feed_url = "+q(o.FeedURL), "timeout = "+q(o.FeedTimeout.String()), "")
	}
	return strings.Join(lines, "\n")
}

// WriteProfile writes the lab profile into the lab's directory and returns its path.
func (l *Lab) WriteProfile(o ProfileOptions) (string, error) {
	path := filepath.Join(l.Dir, "lab-profile.toml")
	if err := os.WriteFile(path, []byte(ProfileTOML(o)), 0o644); err != nil {
		return "", fmt.Errorf("write lab profile: %w", err)
	}
	return path, nil
}
