package diagnostics

import (
	"context"
	"errors"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// wifiCheck reads the Wi-Fi link the computer's traffic leaves on: how strong the access
// point's signal is, how fast the link runs, on which band. A weak signal is the most common
// cause of a lossy, slow connection that people can fix themselves: by moving closer or using a
// cable. Linux tells it through nl80211, Windows through the WLAN API; macOS only through
// CoreWLAN, which needs cgo, so there the check is skipped (wifi_other.go).
type wifiCheck struct {
	net  NetInfo
	read wifiReader
}

// wifiLink is one connected Wi-Fi interface as the OS reports it.
type wifiLink struct {
	Interface    string
	SignalDBM    int
	RateMbps     float64 // the transmit rate; 0 when unknown
	FrequencyMHz int     // 0 when unknown
	Channel      int     // 0 when unknown (Windows tells the channel, not the frequency)
}

// wifiReader returns the connected Wi-Fi links; errWifiUnsupported where the OS does not tell.
type wifiReader func(ctx context.Context) ([]wifiLink, error)

var errWifiUnsupported = errors.New("this system does not report Wi-Fi link quality without cgo")

func newWifiCheck(_ *profile.Profile, n NetInfo) Check { return &wifiCheck{net: n, read: systemWifi} }

func (c *wifiCheck) ID() string   { return IDWifi }
func (c *wifiCheck) Group() Group { return GroupNetwork }

// The signal's words, by the strength in dBm at which each begins: about -67 dBm is what voice
// and video need, below -75 dBm packets are lost and retried.
var wifiSignalWords = []struct {
	from int
	word string
}{{-55, "excellent"}, {-67, "good"}, {-75, "fair"}}

// signalWord says a signal strength in a word: excellent, good, fair or weak.
func signalWord(dbm int) string {
	for _, w := range wifiSignalWords {
		if dbm >= w.from {
			return w.word
		}
	}
	return "weak"
}

// bandGHz names the band of a frequency (MHz) or, failing that, of a channel number.
func bandGHz(freqMHz, channel int) string {
	switch {
	case freqMHz >= 2400 && freqMHz < 2500:
		return "2.4"
	case freqMHz >= 4900 && freqMHz < 5925:
		return "5"
	case freqMHz >= 5925 && freqMHz <= 7125:
		return "6"
	case freqMHz == 0 && channel >= 1 && channel <= 14:
		return "2.4"
	case freqMHz == 0 && channel >= 32 && channel <= 177:
		// A 6 GHz channel number can look like either; Windows' channel cannot tell them apart.
		return "5"
	}
	return ""
}

func (c *wifiCheck) Run(ctx context.Context) Result {
	links, err := c.read(ctx)
	switch {
	case errors.Is(err, errWifiUnsupported):
		Logf(ctx, "%v", err)
		return Skip(i18n.Msg("check.wifi.unsupported")).Because(ReasonNoData)
	case err != nil:
		Logf(ctx, "reading the Wi-Fi links failed: %v", err)
		return Skip(i18n.Msg("check.wifi.unknown", "error", err.Error())).Because(ReasonNoData)
	}
	link, ok := c.usedLink(ctx, links)
	if !ok {
		return Skip(i18n.Msg("check.wifi.not_wifi")).Because(ReasonNotWifi)
	}
	word := signalWord(link.SignalDBM)
	Logf(ctx, "Wi-Fi %s: signal %d dBm (%s), %.0f Mbit/s, %d MHz, channel %d",
		link.Interface, link.SignalDBM, word, link.RateMbps, link.FrequencyMHz, link.Channel)
	words := i18n.Each(func(lang string) string { return i18n.New(lang).T("wifi.signal."+word, nil) })
	var res Result
	if word == "weak" {
		res = Warn(i18n.Msg("check.wifi.weak", "signal", words, "signal_dbm", link.SignalDBM)).Because(ReasonWeakSignal)
	} else {
		res = OK(i18n.Msg("check.wifi.ok", "signal", words, "signal_dbm", link.SignalDBM))
	}
	res = res.Detail(DetailInterface, link.Interface).Detail(DetailSignalDBM, link.SignalDBM).Detail(DetailSignal, word)
	if link.RateMbps > 0 {
		res = res.Detail(DetailRateMbps, netRound(link.RateMbps))
	}
	if band := bandGHz(link.FrequencyMHz, link.Channel); band != "" {
		res = res.Detail(DetailBandGHz, band)
	}
	return res
}

// usedLink is the Wi-Fi link of the preferred default route: a Wi-Fi that is connected while a
// cable carries the traffic does not matter. Without a default route to compare with (the
// gateway check tells that story), the only Wi-Fi link is taken.
func (c *wifiCheck) usedLink(ctx context.Context, links []wifiLink) (wifiLink, bool) {
	if len(links) == 0 {
		Logf(ctx, "no connected Wi-Fi interface")
		return wifiLink{}, false
	}
	routes, err := c.net.DefaultRoutes(ctx)
	if err != nil || len(routes) == 0 {
		Logf(ctx, "default route unknown (%v): taking %s", err, links[0].Interface)
		return links[0], len(links) == 1
	}
	for _, l := range links {
		if l.Interface == routes[0].Interface {
			return l, true
		}
	}
	Logf(ctx, "the default route leaves on %s, not on Wi-Fi", routes[0].Interface)
	return wifiLink{}, false
}

// WifiSignals lists every value of DetailSignal, weakest last.
var WifiSignals = []string{"excellent", "good", "fair", "weak"}
