//go:build windows

package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// winNetInfo reads the network configuration from Windows' IP Helper API (iphlpapi.dll), the
// same tables `ipconfig /all`, `route print` and `Get-NetNeighbor` show, without running them:
// their output is translated to the user's language and is no interface.
type winNetInfo struct{}

// SystemNetInfo returns the NetInfo of this computer.
func SystemNetInfo() NetInfo { return winNetInfo{} }

// GetIpNetTable2 is in iphlpapi.dll since Windows Vista; golang.org/x/sys does not wrap it.
var procGetIpNetTable2 = windows.NewLazySystemDLL("iphlpapi.dll").NewProc("GetIpNetTable2")

// The size of the x/sys types must be the C layout's, or every row after the first is misread.
var (
	_ [104]byte = [unsafe.Sizeof(windows.MibIpForwardRow2{})]byte{}
	_ [28]byte  = [unsafe.Sizeof(windows.RawSockaddrInet{})]byte{}
)

func (winNetInfo) Links(ctx context.Context) ([]Link, error) {
	adapters, err := sharedAdapters()
	if err != nil {
		return nil, err
	}
	out := make([]Link, len(adapters))
	for i, a := range adapters {
		out[i] = linkFromWinAdapter(a)
	}
	return out, nil
}

func (winNetInfo) DefaultRoutes(ctx context.Context) ([]Route, error) {
	var table *windows.MibIpForwardTable2
	if err := windows.GetIpForwardTable2(windows.AF_UNSPEC, &table); err != nil {
		return nil, fmt.Errorf("read the routing table (GetIpForwardTable2): %w", err)
	}
	var rows []winRoute
	for _, r := range table.Rows() {
		rows = append(rows, winRoute{
			Dest:     netip.PrefixFrom(sockaddrAddr(&r.DestinationPrefix.Prefix), int(r.DestinationPrefix.PrefixLength)),
			NextHop:  sockaddrAddr(&r.NextHop),
			IfIndex:  r.InterfaceIndex,
			Metric:   r.Metric,
			Loopback: r.Loopback != 0,
		})
	}
	windows.FreeMibTable(unsafe.Pointer(table))
	adapters, err := sharedAdapters()
	if err != nil {
		return nil, err
	}
	return winDefaultRoutes(rows, adapters), nil
}

// Nameservers are the DNS servers of the connected adapters, as Windows' resolver uses them.
func (winNetInfo) Nameservers(ctx context.Context) ([]string, error) {
	adapters, err := sharedAdapters()
	if err != nil {
		return nil, err
	}
	return winNameservers(adapters), nil
}

// NeighbourReachable reads the neighbour table (ARP and NDP). Windows keeps no age of the last
// confirmation that means the same as Linux's, so a live entry is taken as it is.
func (winNetInfo) NeighbourReachable(ctx context.Context, ip netip.Addr) (bool, error) {
	rows, err := readIPNetTable2(ip)
	if err != nil {
		return false, err
	}
	var ifIndex uint32
	if zone := ip.Zone(); zone != "" {
		if iface, err := net.InterfaceByName(zone); err == nil {
			ifIndex = uint32(iface.Index)
		}
	}
	return winNeighbourLive(rows, ip, ifIndex), nil
}

// readIPNetTable2 reads the neighbour table of ip's family.
func readIPNetTable2(ip netip.Addr) ([]winNeighbour, error) {
	if err := procGetIpNetTable2.Find(); err != nil {
		return nil, fmt.Errorf("neighbour table not available: %w", err)
	}
	family := uint16(windows.AF_INET)
	if ip.Unmap().Is6() {
		family = windows.AF_INET6
	}
	var table unsafe.Pointer
	if r, _, _ := procGetIpNetTable2.Call(uintptr(family), uintptr(unsafe.Pointer(&table))); r != 0 {
		return nil, fmt.Errorf("read the neighbour table (GetIpNetTable2): %w", windows.Errno(r))
	}
	defer windows.FreeMibTable(table)
	n := *(*uint32)(table)
	rows, err := parseIPNetTable2(unsafe.Slice((*byte)(table), ipNetTableRows+int(n)*ipNetRowSize))
	if err != nil {
		return nil, fmt.Errorf("neighbour table: %w", err)
	}
	return rows, nil
}

// sockaddrAddr reads an address out of a SOCKADDR_INET.
func sockaddrAddr(sa *windows.RawSockaddrInet) netip.Addr {
	return parseSockaddrInet(unsafe.Slice((*byte)(unsafe.Pointer(sa)), sockaddrInetSize))
}

// adapterCall is one GetAdaptersAddresses round that callers arriving meanwhile share.
type adapterCall struct {
	done     chan struct{}
	adapters []winAdapter
	err      error
}

var (
	adaptersMu   sync.Mutex
	adaptersCall *adapterCall
)

// sharedAdapters lets concurrent callers share one listing: a diagnosis asks for the adapters
// from several checks at once, and each listing is slow (tens of milliseconds on a computer
// with many virtual adapters, a hundred under Wine). Nothing is kept after the call ends: a
// listing is at most one call's length older than the question.
func sharedAdapters() ([]winAdapter, error) {
	adaptersMu.Lock()
	c := adaptersCall
	if c != nil {
		adaptersMu.Unlock()
		<-c.done
		return c.adapters, c.err
	}
	c = &adapterCall{done: make(chan struct{})}
	adaptersCall = c
	adaptersMu.Unlock()
	c.adapters, c.err = winAdapters()
	adaptersMu.Lock()
	adaptersCall = nil
	adaptersMu.Unlock()
	close(c.done)
	return c.adapters, c.err
}

// winAdapters lists the adapters with their addresses, gateways and DNS servers
// (GetAdaptersAddresses), and their administrative and media state (GetIfEntry2Ex).
func winAdapters() ([]winAdapter, error) {
	const flags = windows.GAA_FLAG_INCLUDE_GATEWAYS | windows.GAA_FLAG_SKIP_ANYCAST | windows.GAA_FLAG_SKIP_MULTICAST
	size := uint32(15 << 10) // Microsoft's advice: start with 15 KB, which is almost always enough
	var buf []byte
	for range 4 {
		buf = make([]byte, size)
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, flags, 0, (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0])), &size)
		if err == nil {
			break
		}
		if errors.Is(err, windows.ERROR_NO_DATA) {
			return nil, nil // no adapter at all
		}
		if !errors.Is(err, windows.ERROR_BUFFER_OVERFLOW) {
			return nil, fmt.Errorf("list adapters (GetAdaptersAddresses): %w", err)
		}
		buf = nil
	}
	if buf == nil {
		return nil, errors.New("list adapters (GetAdaptersAddresses): the list kept growing")
	}
	var out []winAdapter
	for aa := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0])); aa != nil; aa = aa.Next {
		a := winAdapter{
			Name:        windows.UTF16PtrToString(aa.FriendlyName),
			Description: windows.UTF16PtrToString(aa.Description),
			Index:       aa.IfIndex,
			IPv6Index:   aa.Ipv6IfIndex,
			IfType:      aa.IfType,
			OperStatus:  aa.OperStatus,
			IPv4Metric:  aa.Ipv4Metric,
			IPv6Metric:  aa.Ipv6Metric,
		}
		if n := aa.PhysicalAddressLength; n > 0 && n <= uint32(len(aa.PhysicalAddress)) {
			a.MAC = net.HardwareAddr(aa.PhysicalAddress[:n]).String()
		}
		for u := aa.FirstUnicastAddress; u != nil; u = u.Next {
			// An address that failed duplicate detection (IpDadStateDuplicate, 2) is never used.
			if u.DadState == 2 {
				continue
			}
			if ip, ok := netip.AddrFromSlice(u.Address.IP()); ok {
				a.Addrs = append(a.Addrs, netip.PrefixFrom(ip.Unmap(), int(u.OnLinkPrefixLength)))
			}
		}
		for d := aa.FirstDnsServerAddress; d != nil; d = d.Next {
			if ip, ok := netip.AddrFromSlice(d.Address.IP()); ok {
				a.DNS = append(a.DNS, ip.Unmap())
			}
		}
		row := windows.MibIfRow2{InterfaceLuid: aa.Luid, InterfaceIndex: aa.IfIndex}
		if err := windows.GetIfEntry2Ex(windows.MibIfEntryNormalWithoutStatistics, &row); err == nil {
			a.AdminKnown = true
			a.AdminUp = row.AdminStatus == 1 // NET_IF_ADMIN_STATUS_UP
			a.Media = row.MediaConnectState
		}
		out = append(out, a)
	}
	return out, nil
}
