//go:build windows

package fleet

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// SearchDomains are the DNS suffixes the network gave the adapters that are up.
func SearchDomains() []string {
	size := uint32(15 << 10)
	for range 3 {
		buf := make([]byte, size)
		first := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0]))
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, windows.GAA_FLAG_SKIP_ANYCAST|
			windows.GAA_FLAG_SKIP_MULTICAST|windows.GAA_FLAG_SKIP_DNS_SERVER, 0, first, &size)
		if err == windows.ERROR_BUFFER_OVERFLOW {
			continue
		}
		if err != nil {
			return nil
		}
		var out []string
		for a := first; a != nil; a = a.Next {
			if a.OperStatus != windows.IfOperStatusUp || a.DnsSuffix == nil {
				continue
			}
			if s := windows.UTF16PtrToString(a.DnsSuffix); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
