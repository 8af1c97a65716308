package support

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/apuri-project/apuri/i18n"
)

// MaxPortalURL bounds a pre-filled form address: browsers, proxies and portals cut longer
// ones at different lengths, and about 2,000 characters passes all of them.
const MaxPortalURL = 1900

// maxURLSummary bounds the summary in a form address.
const maxURLSummary = 200

// Portal hands the request to the user in the organisation's service portal: it opens the
// new-request form pre-filled (support.new_request_url with {summary} {description}
// {category} {bundle}), saves the bundle for the user to attach, opens its folder, and puts the
// whole text on the clipboard. The address carries only the summary, a short redacted
// description, the category and the file name: never the contact details.
type Portal struct {
	// SaveDir is where the bundle is saved; default DefaultSaveDir().
	SaveDir string
	// Open opens the form and the folder; default OpenDefault.
	Open Opener
	// Clipboard puts text on the clipboard. Nil: the receipt carries the text for the caller
	// (the window puts it there; the command line prints it).
	Clipboard func(string) error
}

// Send opens the form for m. m.Target is the form template (or the portal's address).
func (p Portal) Send(ctx context.Context, m *Outgoing) (Receipt, error) {
	open := p.Open
	if open == nil {
		open = OpenDefault
	}
	r := Receipt{HandedOver: true}
	dir := p.SaveDir
	if dir == "" {
		dir = DefaultSaveDir()
	}
	if m.BundleName != "" {
		path, err := saveFile(dir, m.BundleName, m.Bundle)
		if err != nil {
			return Receipt{}, &SendError{Kind: FailPermanent, Err: err,
				Message: i18n.Msg("outbox.error.save", "path", filepath.Join(dir, m.BundleName), "error", err.Error())}
		}
		r.Saved = path
	}
	if m.Target != "" {
		r.Opened = FillPortalURL(m.Target, m.Summary, m.URLText, CategoryLabel(m.Lang, m.Category), m.BundleName)
		if err := open(ctx, r.Opened); err != nil {
			return Receipt{}, &SendError{Kind: FailPermanent, Err: err,
				Message: i18n.Msg("outbox.error.open", "target", hostOf(m.Target), "error", err.Error())}
		}
	}
	if r.Saved != "" {
		_ = open(ctx, dir) // the note names the folder too, so a failure here costs little
	}
	if p.Clipboard == nil || p.Clipboard(m.Text) != nil {
		r.Clipboard = m.Text
	}
	switch {
	case m.Target == "":
		note := i18n.Msg("outbox.portal.intranet")
		r.Note = &note
	case r.Saved != "":
		note := i18n.Msg("outbox.portal.attach", "file", m.BundleName, "folder", dir)
		r.Note = &note
	default:
		note := i18n.Msg("outbox.portal.opened")
		r.Note = &note
	}
	return r, nil
}

// saveFile writes data as dir/name, adding " (2)" and so on rather than replacing a file.
func saveFile(dir, name string, data []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i < 100; i++ {
		path := filepath.Join(dir, name)
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s (%d)%s", stem, i, ext))
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return "", err
		}
		if err := f.Close(); err != nil {
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("%s: too many files of that name", filepath.Join(dir, name))
}

// urlEscape escapes a value for any part of a URL: %20 for spaces works in paths and queries.
func urlEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// FillPortalURL fills a new-request template, shortening the description (and if need be the
// summary) so that the address stays within MaxPortalURL.
func FillPortalURL(template, summary, description, category, bundle string) string {
	fill := func(sum, desc string) string {
		return strings.NewReplacer(
			"{summary}", urlEscape(sum), "{description}", urlEscape(desc),
			"{category}", urlEscape(category), "{bundle}", urlEscape(bundle),
		).Replace(template)
	}
	summary = truncateRunes(strings.TrimSpace(summary), maxURLSummary)
	description = strings.TrimSpace(description)
	if u := fill(summary, description); len(u) <= MaxPortalURL {
		return u
	}
	// The longest prefix of the description that fits, found by bisection over runes.
	runes := []rune(description)
	lo, hi := 0, len(runes)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if len(fill(summary, string(runes[:mid])+"…")) <= MaxPortalURL {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo > 0 {
		return fill(summary, string(runes[:lo])+"…")
	}
	for n := utf8.RuneCountInString(summary); n > 0; n-- {
		if u := fill(truncateRunes(summary, n), ""); len(u) <= MaxPortalURL {
			return u
		}
	}
	return fill("", "")
}

// truncateRunes keeps the first n runes of s, marking a cut with "…".
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	if n <= 1 {
		return string(r[:n])
	}
	return string(r[:n-1]) + "…"
}
