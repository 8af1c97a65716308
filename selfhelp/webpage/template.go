package webpage

import (
	_ "embed"
	"html/template"
	"sync"
)

// pageHTML is the page's markup and style. html/template escapes every text it is given for
// where it stands, so nothing a profile, a feed or a check reports can become markup.
//
//go:embed page.html
var pageHTML string

// pageTemplate is parsed when a page is first made, not when the all-day agent starts.
var pageTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(pageHTML))
})
