package webpage

import (
	_ "embed"
	"html/template"
)

// pageHTML is the page's markup and style. html/template escapes every text it is given for
// where it stands, so nothing a profile, a feed or a check reports can become markup.
//
//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(template.New("page").Parse(pageHTML))
