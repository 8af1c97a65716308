package tray

import (
	"context"
	"errors"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/selfhelp/webpage"
)

// openWebPage writes the latest diagnosis, the ladder for the profile in use and the known
// disruptions as the accessible web page (selfhelp/webpage), in the agent's language, and opens
// it with the desktop's program for web pages: the browser, where screen readers work. While a
// diagnosis runs the page says so, beside the one before it.
func (c *controller) openWebPage() error {
	st := c.agent.State()
	page := webpage.Page{Report: st.Report, Running: st.Running, Profile: c.agent.Profile().Profile}
	if st.Disruptions != nil {
		page.Disruptions = st.Disruptions.Disruptions
	}
	where := c.pagePath
	if where == nil {
		where = webpage.DefaultPath
	}
	path, err := where()
	if err != nil {
		return err
	}
	if err := webpage.Save(path, page, i18n.New(st.Lang)); err != nil {
		return err
	}
	if c.openFile == nil {
		return errors.New("no program to open the page with")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return c.openFile(ctx, path)
}
