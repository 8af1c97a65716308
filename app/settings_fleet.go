package app

import (
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/fleet"
)

// fleetSection says plainly, when the organisation's profile turns on sharing connection
// events (docs/fleet.md), what is shared and what never is, with whom and since when, and
// what waits or was dropped while the organisation's server could not be reached. Without
// sharing the section is not there at all.
func (s *settings) showFleet(st *fleet.Status) {
	s.fleetBox.RemoveAll()
	if st == nil {
		s.fleetBox.Hide()
		return
	}
	e := s.env
	site := st.Site
	if site == "" || site == fleet.SiteOther {
		site = e.t("window.settings.fleet_no_site")
	}
	since := e.t("window.settings.fleet_not_yet")
	if !st.Since.IsZero() {
		since = e.t("window.settings.fleet_since", "time", e.when(st.Since))
	}
	s.fleetBox.Add(widget.NewSeparator())
	s.fleetBox.Add(heading(e.t("window.settings.fleet_heading")))
	for _, text := range []string{
		e.t("window.settings.fleet_about"),
		e.t("window.settings.fleet_what", "site", site),
		e.t("window.settings.fleet_not"),
		e.t("window.settings.fleet_to", "host", st.Collector) + " " + since,
	} {
		s.fleetBox.Add(wrapping(text))
	}
	if st.Waiting > 0 {
		s.fleetBox.Add(wrapping(e.t("window.settings.fleet_waiting", "count", st.Waiting)))
	}
	if st.Dropped > 0 {
		s.fleetBox.Add(wrapping(e.t("window.settings.fleet_dropped", "count", st.Dropped)))
	}
	s.fleetBox.Show()
}
