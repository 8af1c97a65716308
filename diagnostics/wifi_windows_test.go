//go:build windows

package diagnostics

import (
	"testing"
	"unsafe"
)

// The WLAN API hands over C structures; these are their offsets in wlanapi.h's layout, so a
// field added or moved in the Go copies cannot read the wrong bytes unnoticed.
func TestWLANLayout(t *testing.T) {
	var info wlanInterfaceInfo
	var list wlanInterfaceInfoList
	var conn wlanConnectionAttributes
	for name, got := range map[string][2]uintptr{
		"WLAN_INTERFACE_INFO size":               {unsafe.Sizeof(info), 532},
		"WLAN_INTERFACE_INFO.isState":            {unsafe.Offsetof(info.State), 528},
		"WLAN_INTERFACE_INFO_LIST.InterfaceInfo": {unsafe.Offsetof(list.Items), 8},
		"wlanAssociationAttributes.dot11Ssid":    {unsafe.Offsetof(conn.SSIDLength), 520},
		"dot11Bssid":                             {unsafe.Offsetof(conn.BSSID), 520 + 40},
		"dot11PhyType":                           {unsafe.Offsetof(conn.PhyType), 520 + 48},
		"wlanSignalQuality":                      {unsafe.Offsetof(conn.SignalQuality), 520 + 56},
		"ulTxRate":                               {unsafe.Offsetof(conn.TxRateKbps), 520 + 64},
	} {
		if got[0] != got[1] {
			t.Errorf("%s at %d, want %d", name, got[0], got[1])
		}
	}
}
