package disruptions

import (
	"strings"

	"github.com/apuri-project/apuri/internal/safetext"
	"golang.org/x/net/html"
)

// blockTags end a line of text: without a space there, "<p>Resolved</p><p>TOP" would read
// as "ResolvedTOP".
var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "tr": true, "td": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "small": true, "strong": true, "b": true,
}

// skipTags hold no text for people.
var skipTags = map[string]bool{"script": true, "style": true, "head": true, "title": true}

// safeText is a feed's text as one clean line: plain text, then safe to show.
func safeText(s string) string { return safetext.Line(plainText(s), 0) }

// plainText turns feed HTML (or plain text) into one line of words: tags dropped, entities
// decoded, whitespace collapsed.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if skipTags[string(name)] {
				skip++
			}
			if blockTags[string(name)] {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if skipTags[string(name)] && skip > 0 {
				skip--
			}
			if blockTags[string(name)] {
				b.WriteByte(' ')
			}
		}
	}
}
