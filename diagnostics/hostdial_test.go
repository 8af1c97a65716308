package diagnostics

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// blockedSystem is a system resolver stuck behind a dead first nameserver.
func blockedSystem(ctx context.Context, _ string) ([]netip.Addr, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestHostDialerLookup(t *testing.T) {
	live := dnsTestServer(t, dnsZone{})
	dead := dnsDeadServer(t)
	tests := []struct {
		name    string
		servers []string
		system  func(context.Context, string) ([]netip.Addr, error)
		host    string
		want    string
		wantErr bool
	}{
		{"a dead first nameserver does not hold up the answer", []string{dead, live}, blockedSystem, "good.test", "192.0.2.10", false},
		{"an address needs no lookup", []string{dead}, blockedSystem, "127.0.0.1", "127.0.0.1", false},
		{"the system resolver alone (no nameservers known)", nil,
			func(context.Context, string) ([]netip.Addr, error) {
				return []netip.Addr{netip.MustParseAddr("192.0.2.20")}, nil
			},
			"hosts-file.test", "192.0.2.20", false},
		{"a name nobody knows", []string{live},
			func(context.Context, string) ([]netip.Addr, error) { return nil, errors.New("no such host") },
			"missing.test", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newHostDialer(nil)
			d.nameservers = func(context.Context) ([]string, error) { return tc.servers, nil }
			d.system = tc.system
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			addrs, err := d.lookup(ctx, tc.host)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("got %v, want an error", addrs)
				}
				return
			}
			if err != nil {
				t.Fatalf("lookup: %v", err)
			}
			if addrs[0].String() != tc.want {
				t.Errorf("first address %s, want %s", addrs[0], tc.want)
			}
		})
	}
}

func TestHostDialerConnectsToTheResolvedAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	d := newHostDialer(nil)
	d.system = func(context.Context, string) ([]netip.Addr, error) {
		// The first address refuses; the dialer must go on to the next.
		return []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.1")}, nil
	}
	dialed := []string{}
	d.dial = func(ctx context.Context, network, address string) (net.Conn, error) {
		dialed = append(dialed, address)
		if address == net.JoinHostPort("127.0.0.2", port) {
			return nil, errors.New("connection refused")
		}
		return (&net.Dialer{}).DialContext(ctx, network, address)
	}
	conn, err := d.DialContext(context.Background(), "tcp", net.JoinHostPort("service.test", port))
	if err != nil {
		t.Fatalf("dial: %v (tried %v)", err, dialed)
	}
	conn.Close()
	if len(dialed) != 2 {
		t.Errorf("dialed %v, want both addresses in order", dialed)
	}
}
