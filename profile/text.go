package profile

import "github.com/apuri-project/apuri/internal/safetext"

// cleanTexts makes the texts a profile shows the user — names, the phone number and its
// hours — plain lines: a profile is a file from outside the program like any other, and a
// control character or a bidi override in it must not reach the tray, a window or a terminal.
func cleanTexts(p *Profile) {
	line := func(s *string) { *s = safetext.Line(*s, 0) }
	line(&p.Organisation.Name)
	line(&p.Support.PortalName)
	line(&p.Support.Phone)
	line(&p.Support.PhoneHours)
	line(&p.Request.RT.Queue)
	for i := range p.Links {
		line(&p.Links[i].Name)
	}
}
