package netproxy

import (
	"context"
	"net"
	"regexp"
	"strings"

	"github.com/dop251/goja"
)

// install defines the standard PAC helper functions (the Netscape set that every browser
// offers) in the script's runtime.
func (s *pacScript) install() {
	set := func(name string, f any) { _ = s.vm.Set(name, f) }
	set("isPlainHostName", func(host string) bool { return !strings.Contains(host, ".") })
	set("dnsDomainIs", func(host, domain string) bool {
		return strings.HasSuffix(strings.ToLower(host), strings.ToLower(domain))
	})
	set("localHostOrDomainIs", func(host, hostdom string) bool {
		host, hostdom = strings.ToLower(host), strings.ToLower(hostdom)
		if host == hostdom {
			return true
		}
		first, _, _ := strings.Cut(hostdom, ".")
		return !strings.Contains(host, ".") && host == first
	})
	set("dnsDomainLevels", func(host string) int { return strings.Count(host, ".") })
	set("shExpMatch", shExpMatch)
	set("isResolvable", func(host string) bool { return s.resolve(host) != nil })
	set("dnsResolve", func(host string) goja.Value {
		if ip := s.resolve(host); ip != nil {
			return s.vm.ToValue(ip.String())
		}
		return goja.Null()
	})
	set("myIpAddress", func() string {
		if ip := s.env.myIP(); ip != nil {
			return ip.String()
		}
		return "127.0.0.1"
	})
	set("isInNet", func(host, pattern, mask string) bool {
		ip := net.ParseIP(host)
		if ip == nil {
			ip = s.resolve(host)
		}
		p, m := net.ParseIP(pattern).To4(), net.ParseIP(mask).To4()
		if ip = ip.To4(); ip == nil || p == nil || m == nil {
			return false
		}
		return ip.Mask(net.IPMask(m)).Equal(p.Mask(net.IPMask(m)))
	})
	set("convert_addr", func(ipchars string) uint32 {
		ip := net.ParseIP(ipchars).To4()
		if ip == nil {
			return 0
		}
		return uint32(ip[0])<<24 | uint32(ip[1])<<16 | uint32(ip[2])<<8 | uint32(ip[3])
	})
	set("weekdayRange", func(call goja.FunctionCall) goja.Value { return s.vm.ToValue(s.weekdayRange(args(call))) })
	set("dateRange", func(call goja.FunctionCall) goja.Value { return s.vm.ToValue(s.dateRange(args(call))) })
	set("timeRange", func(call goja.FunctionCall) goja.Value { return s.vm.ToValue(s.timeRange(args(call))) })
	// Some scripts log with alert(); it has no one to show it to.
	set("alert", func(string) {})
}

// resolve looks a name up within the running call's deadline; nil when it does not resolve.
func (s *pacScript) resolve(host string) net.IP {
	if ip := net.ParseIP(host); ip != nil {
		return ip
	}
	ctx := s.callCtx
	if ctx == nil {
		ctx = context.Background()
	}
	ips, err := s.env.lookup(ctx, host)
	if err != nil || len(ips) == 0 {
		return nil
	}
	return ips[0]
}

// shExpMatch matches a shell expression: * is any run of characters (slashes too), ? is one.
func shExpMatch(str, pattern string) bool {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(str)
}

// outboundIP is the address this computer's default route leaves from. Connecting a UDP
// socket only picks the route; no packet is sent.
func outboundIP() net.IP {
	c, err := net.Dial("udp4", "192.0.2.1:9")
	if err != nil {
		return nil
	}
	defer c.Close()
	if a, ok := c.LocalAddr().(*net.UDPAddr); ok {
		return a.IP
	}
	return nil
}

// args turns a helper's JavaScript arguments into strings, numbers as their decimal text.
func args(call goja.FunctionCall) []string {
	out := make([]string, len(call.Arguments))
	for i, a := range call.Arguments {
		out[i] = a.String()
	}
	return out
}
