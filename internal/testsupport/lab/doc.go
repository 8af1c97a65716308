// Package lab builds a small, closed network out of Linux network namespaces, so that Apuri's
// diagnosis can be run against real interfaces, routes, resolvers and servers and then broken on
// purpose, one layer at a time.
//
// The topology (all addresses are documentation ranges and live only inside the namespaces the
// lab creates; nothing is routed to the host or beyond):
//
//	client ── eth0 192.0.2.10/24 ─── lan0 192.0.2.1 ── router ── wan0 198.51.100.1 ─── eth0 ── net
//	   │        default via 192.0.2.1                 (forwards)                         .53 .54 dnsmasq
//	   │                                                                                  .80 probe (HTTP)
//	   │                                                                                  .81 service (HTTP)
//	   └─ tun0 203.0.113.2/30 ── vpn0 203.0.113.1 ── vpn ── int0 203.0.113.9 ── eth0 ── intra
//	        203.0.113.0/24 via 203.0.113.1         (forwards)                       .10 :22 TCP, :80 HTTP
//
// It is test infrastructure: production code never imports it, and it needs root, iproute2 and
// dnsmasq (see Missing). Its functions take no testing.T; callers pass a log function.
package lab
