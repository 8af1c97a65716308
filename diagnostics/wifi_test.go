package diagnostics

import (
	"context"
	"errors"
	"runtime"
	"testing"
)

func fixedWifi(links ...wifiLink) wifiReader {
	return func(context.Context) ([]wifiLink, error) { return links, nil }
}

func TestWifiCheck(t *testing.T) {
	onWlan := &netFake{routes: []Route{{Interface: "wlan0"}}}
	tests := []struct {
		name   string
		net    *netFake
		read   wifiReader
		status Status
		reason string
		signal string
		band   any
	}{
		{"excellent 5 GHz", onWlan, fixedWifi(wifiLink{Interface: "wlan0", SignalDBM: -48, RateMbps: 866.7, FrequencyMHz: 5180}), StatusOK, "", "excellent", "5"},
		{"good 2.4 GHz", onWlan, fixedWifi(wifiLink{Interface: "wlan0", SignalDBM: -60, FrequencyMHz: 2437}), StatusOK, "", "good", "2.4"},
		{"fair 6 GHz", onWlan, fixedWifi(wifiLink{Interface: "wlan0", SignalDBM: -75, FrequencyMHz: 5955}), StatusOK, "", "fair", "6"},
		{"weak, band from the channel", onWlan, fixedWifi(wifiLink{Interface: "wlan0", SignalDBM: -76, Channel: 6}), StatusWarn, ReasonWeakSignal, "weak", "2.4"},
		{"cable carries the traffic", &netFake{routes: []Route{{Interface: "eth0"}}}, fixedWifi(wifiLink{Interface: "wlan0", SignalDBM: -80}), StatusSkip, ReasonNotWifi, "", nil},
		{"no Wi-Fi", onWlan, fixedWifi(), StatusSkip, ReasonNotWifi, "", nil},
		{"unsupported", onWlan, func(context.Context) ([]wifiLink, error) { return nil, errWifiUnsupported }, StatusSkip, ReasonNoData, "", nil},
		{"broken", onWlan, func(context.Context) ([]wifiLink, error) { return nil, errors.New("nl80211: boom") }, StatusSkip, ReasonNoData, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := (&wifiCheck{net: tc.net, read: tc.read}).Run(context.Background())
			if r.Status != tc.status || r.Reason != tc.reason {
				t.Fatalf("%s/%s, want %s/%s", r.Status, r.Reason, tc.status, tc.reason)
			}
			if tc.signal != "" && (r.Details[DetailSignal] != tc.signal || r.Details[DetailBandGHz] != tc.band) {
				t.Errorf("details %v", r.Details)
			}
		})
	}
}

// The real reader: on Linux nl80211 answers even without Wi-Fi hardware (no links); elsewhere it
// says what it cannot do. With a Wi-Fi device, whatever it reads must be a plausible reading.
func TestSystemWifi(t *testing.T) {
	links, err := systemWifi(context.Background())
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		if !errors.Is(err, errWifiUnsupported) {
			t.Fatalf("err %v, want unsupported", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(links) == 0 {
		t.Skip("no connected Wi-Fi device here, nothing to read (the lab machine has none, and mac80211_hwsim cannot be loaded)")
	}
	for _, l := range links {
		if l.Interface == "" || l.SignalDBM >= 0 || l.SignalDBM < -120 {
			t.Errorf("implausible reading %+v", l)
		}
	}
}
