package support

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"net/url"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// maxMailtoBody bounds the body of a mailto: address, the last resort: mail programs and the
// desktop's URL handling cut long ones.
const maxMailtoBody = 1500

// Email hands the request to the user's mail program: it writes an .eml draft (X-Unsent: 1,
// the bundle attached) and opens it — on Linux through xdg-email --attach where available,
// which every mail program there understands, elsewhere by opening the .eml, which Outlook and
// Apple Mail open as a draft. A mailto: address without the attachment is the last resort;
// the user then attaches the saved bundle.
type Email struct {
	// SaveDir is where the bundle and the draft are saved; default DefaultSaveDir().
	SaveDir string
	// Open opens files and addresses; default OpenDefault.
	Open Opener
	// Run runs xdg-email; default RunCommand.
	Run CommandRunner
	// LookPath finds xdg-email; default exec.LookPath.
	LookPath func(string) (string, error)
	// GOOS decides the order of attempts; default runtime.GOOS.
	GOOS string
	// Now dates the draft; default time.Now.
	Now func() time.Time
}

// Send writes and opens the draft for m. m.Target is support's e-mail address.
func (e Email) Send(ctx context.Context, m *Outgoing) (Receipt, error) {
	open, run, lookPath, goos, now := e.Open, e.Run, e.LookPath, e.GOOS, e.Now
	if open == nil {
		open = OpenDefault
	}
	if run == nil {
		run = RunCommand
	}
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	if goos == "" {
		goos = runtime.GOOS
	}
	if now == nil {
		now = time.Now
	}
	dir := e.SaveDir
	if dir == "" {
		dir = DefaultSaveDir()
	}
	saveFailed := func(path string, err error) error {
		return &SendError{Kind: FailPermanent, Err: err,
			Message: i18n.Msg("outbox.error.save", "path", path, "error", err.Error())}
	}
	r := Receipt{HandedOver: true}
	bundlePath := ""
	if m.BundleName != "" {
		p, err := saveFile(dir, m.BundleName, m.Bundle)
		if err != nil {
			return Receipt{}, saveFailed(filepath.Join(dir, m.BundleName), err)
		}
		bundlePath = p
	}
	eml, err := BuildEML(m, now())
	if err != nil {
		return Receipt{}, &SendError{Kind: FailPermanent, Err: err}
	}
	emlName := "apuri-request-" + m.Created.UTC().Format("20060102-150405") + ".eml"
	emlPath, err := saveFile(dir, emlName, eml)
	if err != nil {
		return Receipt{}, saveFailed(filepath.Join(dir, emlName), err)
	}
	r.Saved = emlPath

	xdgEmail := func() bool {
		if goos == "windows" || goos == "darwin" {
			return false
		}
		bin, err := lookPath("xdg-email")
		if err != nil {
			return false
		}
		args := []string{"--utf8", "--subject", m.Subject(), "--body", m.Text}
		if bundlePath != "" {
			args = append(args, "--attach", bundlePath)
		}
		return run(ctx, bin, append(args, m.Target)...) == nil
	}
	if xdgEmail() {
		note := i18n.Msg("outbox.email.opened")
		r.Note = &note
		return r, nil
	}
	if err := open(ctx, emlPath); err == nil {
		note := i18n.Msg("outbox.email.opened")
		r.Note = &note
		return r, nil
	}
	mailto := MailtoURL(m.Target, m.Subject(), m.Text)
	if err := open(ctx, mailto); err != nil {
		return Receipt{}, &SendError{Kind: FailPermanent, Err: err,
			Message: i18n.Msg("outbox.error.no_mail_program", "file", emlPath)}
	}
	r.Opened = mailto
	_ = open(ctx, dir)
	note := i18n.Msg("outbox.email.mailto", "file", filepath.Base(bundlePath), "folder", dir)
	if bundlePath == "" {
		note = i18n.Msg("outbox.email.opened")
	}
	r.Note = &note
	return r, nil
}

// MailtoURL is a mailto: address with subject and body, the body shortened to fit.
func MailtoURL(to, subject, body string) string {
	body = truncateRunes(body, maxMailtoBody)
	q := "subject=" + urlEscape(subject) + "&body=" + urlEscape(body)
	return "mailto:" + url.PathEscape(to) + "?" + q
}

// BuildEML writes m as an unsent e-mail draft with the bundle attached.
func BuildEML(m *Outgoing, date time.Time) ([]byte, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, oneHeaderLine(v)) }
	header("X-Unsent", "1")
	header("To", m.Target)
	if m.Contact.Email != "" {
		from := m.Contact.Email
		if m.Contact.Name != "" {
			from = mime.QEncoding.Encode("utf-8", m.Contact.Name) + " <" + m.Contact.Email + ">"
		}
		header("From", from)
	}
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject()))
	header("Date", date.Format(time.RFC1123Z))
	header("MIME-Version", "1.0")
	header("X-Apuri-Ref", m.Ref)
	header("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	b.WriteString("\r\n")

	text, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return nil, err
	}
	qp := quotedprintable.NewWriter(text)
	if _, err := qp.Write([]byte(strings.ReplaceAll(m.Text, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	if m.BundleName != "" {
		att, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {mime.FormatMediaType("application/zip", map[string]string{"name": m.BundleName})},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": m.BundleName})},
			"Content-Transfer-Encoding": {"base64"},
		})
		if err != nil {
			return nil, err
		}
		enc := base64.StdEncoding.EncodeToString(m.Bundle)
		for len(enc) > 76 {
			att.Write([]byte(enc[:76] + "\r\n"))
			enc = enc[76:]
		}
		att.Write([]byte(enc + "\r\n"))
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// oneHeaderLine keeps a header value on its line: a summary with a line break must not be
// able to add headers.
func oneHeaderLine(v string) string {
	return strings.Join(strings.Fields(v), " ")
}
