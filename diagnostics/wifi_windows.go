//go:build windows

package diagnostics

import (
	"context"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The WLAN API (wlanapi.dll), loaded on first use: a Windows without the WLAN service has no
// Wi-Fi to tell about.
var (
	wlanapi                = windows.NewLazySystemDLL("wlanapi.dll")
	procWlanOpenHandle     = wlanapi.NewProc("WlanOpenHandle")
	procWlanCloseHandle    = wlanapi.NewProc("WlanCloseHandle")
	procWlanEnumInterfaces = wlanapi.NewProc("WlanEnumInterfaces")
	procWlanQueryInterface = wlanapi.NewProc("WlanQueryInterface")
	procWlanFreeMemory     = wlanapi.NewProc("WlanFreeMemory")
)

// WLAN_INTF_OPCODE values and the connected state (wlanapi.h).
const (
	wlanOpcodeCurrentConnection = 7
	wlanOpcodeChannelNumber     = 8
	wlanOpcodeRSSI              = 0x10000102
	wlanStateConnected          = 1
)

// wlanInterfaceInfo is WLAN_INTERFACE_INFO.
type wlanInterfaceInfo struct {
	GUID        windows.GUID
	Description [256]uint16
	State       uint32
}

// wlanInterfaceInfoList is WLAN_INTERFACE_INFO_LIST; Items holds NumberOfItems entries.
type wlanInterfaceInfoList struct {
	NumberOfItems uint32
	Index         uint32
	Items         [1]wlanInterfaceInfo
}

// wlanConnectionAttributes is WLAN_CONNECTION_ATTRIBUTES up to its association attributes
// (the security attributes that follow are not read).
type wlanConnectionAttributes struct {
	State         uint32
	Mode          uint32
	ProfileName   [256]uint16
	SSIDLength    uint32
	SSID          [32]byte
	BSSType       uint32
	BSSID         [6]byte
	PhyType       uint32
	PhyIndex      uint32
	SignalQuality uint32 // 0–100: -100 to -50 dBm, linearly
	RxRateKbps    uint32
	TxRateKbps    uint32
}

// systemWifi asks the WLAN service for each connected interface's association: the signal
// (RSSI in dBm where the driver reports it, else from the 0–100 quality), the transmit rate and
// the channel, and names the interface as the rest of Windows does (its friendly name).
func systemWifi(ctx context.Context) ([]wifiLink, error) {
	if err := wlanapi.Load(); err != nil {
		return nil, nil // no WLAN service: no Wi-Fi
	}
	var version uint32
	var h windows.Handle
	if r, _, _ := procWlanOpenHandle.Call(2, 0, uintptr(unsafe.Pointer(&version)), uintptr(unsafe.Pointer(&h))); r != 0 {
		return nil, fmt.Errorf("WlanOpenHandle: %w", windows.Errno(r))
	}
	defer procWlanCloseHandle.Call(uintptr(h), 0)
	var list *wlanInterfaceInfoList
	if r, _, _ := procWlanEnumInterfaces.Call(uintptr(h), 0, uintptr(unsafe.Pointer(&list))); r != 0 {
		return nil, fmt.Errorf("WlanEnumInterfaces: %w", windows.Errno(r))
	}
	defer procWlanFreeMemory.Call(uintptr(unsafe.Pointer(list)))
	names := adapterNames()
	var links []wifiLink
	for _, ifi := range unsafe.Slice(&list.Items[0], list.NumberOfItems) {
		if ifi.State != wlanStateConnected {
			continue
		}
		var attrs wlanConnectionAttributes
		if err := wlanQuery(h, &ifi.GUID, wlanOpcodeCurrentConnection, unsafe.Pointer(&attrs), unsafe.Sizeof(attrs)); err != nil {
			Logf(ctx, "Wi-Fi %s: %v", windows.UTF16ToString(ifi.Description[:]), err)
			continue
		}
		l := wifiLink{
			Interface: names[strings.ToUpper(ifi.GUID.String())],
			SignalDBM: -100 + int(min(attrs.SignalQuality, 100))/2,
			RateMbps:  float64(attrs.TxRateKbps) / 1000,
		}
		var rssi int32
		if wlanQuery(h, &ifi.GUID, wlanOpcodeRSSI, unsafe.Pointer(&rssi), unsafe.Sizeof(rssi)) == nil && rssi < 0 {
			l.SignalDBM = int(rssi)
		}
		var channel uint32
		if wlanQuery(h, &ifi.GUID, wlanOpcodeChannelNumber, unsafe.Pointer(&channel), unsafe.Sizeof(channel)) == nil {
			l.Channel = int(channel)
		}
		if l.Interface == "" {
			l.Interface = windows.UTF16ToString(ifi.Description[:])
		}
		links = append(links, l)
	}
	return links, nil
}

// wlanQuery copies one WlanQueryInterface answer of at most size bytes into out.
func wlanQuery(h windows.Handle, guid *windows.GUID, opcode uint32, out unsafe.Pointer, size uintptr) error {
	var n uint32
	var data *byte
	r, _, _ := procWlanQueryInterface.Call(uintptr(h), uintptr(unsafe.Pointer(guid)), uintptr(opcode), 0,
		uintptr(unsafe.Pointer(&n)), uintptr(unsafe.Pointer(&data)), 0)
	if r != 0 {
		return fmt.Errorf("WlanQueryInterface %#x: %w", opcode, windows.Errno(r))
	}
	defer procWlanFreeMemory.Call(uintptr(unsafe.Pointer(data)))
	copy(unsafe.Slice((*byte)(out), size), unsafe.Slice(data, min(uintptr(n), size)))
	return nil
}

// adapterNames maps each adapter's GUID ("{…}", upper case) to its friendly name, the name the
// routes and net.Interfaces use.
func adapterNames() map[string]string {
	names := map[string]string{}
	size := uint32(15 << 10)
	for range 3 {
		buf := make([]byte, size)
		first := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0]))
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, 0, 0, first, &size)
		if err == windows.ERROR_BUFFER_OVERFLOW {
			continue
		}
		if err != nil {
			return names
		}
		for a := first; a != nil; a = a.Next {
			names[strings.ToUpper(windows.BytePtrToString(a.AdapterName))] = windows.UTF16PtrToString(a.FriendlyName)
		}
		return names
	}
	return names
}
