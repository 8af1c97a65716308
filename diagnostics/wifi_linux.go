//go:build linux

package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/mdlayher/wifi"
)

// systemWifi asks nl80211 for every station-mode interface and the access point it is associated
// with. A kernel without nl80211 (no Wi-Fi driver loaded) has no Wi-Fi: no links, no error.
func systemWifi(ctx context.Context) ([]wifiLink, error) {
	c, err := wifi.New()
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("nl80211: %w", err)
	}
	defer c.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(d)
	}
	ifis, err := c.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("nl80211 interfaces: %w", err)
	}
	var links []wifiLink
	for _, ifi := range ifis {
		if ifi.Type != wifi.InterfaceTypeStation || ifi.Name == "" {
			continue
		}
		// Not associated: nl80211 answers with no station (os.ErrNotExist).
		stations, err := c.StationInfo(ifi)
		if err != nil || len(stations) == 0 {
			Logf(ctx, "Wi-Fi %s: not connected (%v)", ifi.Name, err)
			continue
		}
		st := stations[0]
		l := wifiLink{Interface: ifi.Name, SignalDBM: st.SignalAverage, RateMbps: float64(st.TransmitBitrate) / 1e6, FrequencyMHz: ifi.Frequency}
		if l.SignalDBM == 0 {
			l.SignalDBM = st.Signal
		}
		if l.FrequencyMHz == 0 {
			if bss, err := c.BSS(ifi); err == nil {
				l.FrequencyMHz = bss.Frequency
			}
		}
		links = append(links, l)
	}
	return links, nil
}
