package app

import (
	"errors"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/selfhelp/webpage"
)

// openWebPage writes the agent's latest diagnosis, with the ladder for the profile in use and
// the known disruptions, as the accessible web page (selfhelp/webpage), and opens it with the
// desktop's program for web pages: the browser, where screen readers work.
func (e *env) openWebPage() error {
	st, err := e.agent.State(e.ctx)
	if err != nil {
		return err
	}
	loaded, err := e.agent.Profile(e.ctx)
	if err != nil {
		return err
	}
	page := webpage.Page{Report: st.Report, Running: st.Running, Profile: loaded.Profile, Made: e.now(), Location: e.loc}
	if st.Disruptions != nil {
		page.Disruptions = st.Disruptions.Disruptions
	}
	path, err := e.pagePath()
	if err != nil {
		return err
	}
	if err := webpage.Save(path, page, e.tr); err != nil {
		return err
	}
	return e.openFile(e.ctx, path)
}

// webPageError says why the page could not be opened: the agent's problem in its words, else
// the system's.
func (e *env) webPageError(err error) string {
	var p *agent.Problem
	if errors.As(err, &p) {
		return p.Text(e.tr)
	}
	return err.Error()
}
