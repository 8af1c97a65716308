package profile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// MaxSize bounds a profile file; a real one is a few kilobytes.
const MaxSize = 256 << 10

// Defaults for whatever a profile leaves out.
var (
	DefaultVPNInterfaces = []string{"tun*", "wg*", "ppp*", "utun*", "tap*", "vpn*", "gpd*", "cscotun*", "ipsec*"}
	DefaultDNSNames      = []string{"detectportal.firefox.com", "suomi.fi"}
)

const (
	DefaultInternetURL    = "http://detectportal.firefox.com/success.txt"
	DefaultInternetExpect = "success"
)

// defaults is the profile a file is decoded over: keys the file leaves out keep these values.
func defaults() *Profile {
	return &Profile{
		Support: Support{FeedbackDays: 5},
		Thresholds: Thresholds{
			UptimeDays: 14, DiskFreePercent: 10, MemoryUsedPercent: 90, CPUBusyPercent: 90,
			ClockSkewS: 60, LatencyMS: 300, LossPercent: 10, CertExpiryDays: 14,
			UpdatesDays: 14, PasswordWarnDays: 14,
		},
		Timeouts: Timeouts{Check: Duration{2 * time.Second}, Total: Duration{4 * time.Second}},
		Monitor:  Monitor{Enabled: true, Interval: Duration{30 * time.Second}},
		Request:  Request{Channel: ChannelPortal},
		Disruptions: Disruptions{
			Refresh: Duration{5 * time.Minute}, Timeout: Duration{10 * time.Second}, MaxAge: Duration{24 * time.Hour},
		},
		Privacy: Privacy{IPAddresses: IPPseudonymise},
		Fleet:   Fleet{Interval: Duration{time.Minute}},
	}
}

// applyLateDefaults fills what cannot be pre-filled: lists a file may give empty, and the
// internet probe, whose address and proof belong together.
func applyLateDefaults(p *Profile) {
	if len(p.VPN.Interfaces) == 0 {
		p.VPN.Interfaces = append([]string(nil), DefaultVPNInterfaces...)
	}
	if len(p.Network.DNSNames) == 0 {
		p.Network.DNSNames = append([]string(nil), DefaultDNSNames...)
	}
	n := &p.Network
	if n.InternetURL == "" && n.InternetExpect == "" && n.InternetStatus == 0 {
		n.InternetURL, n.InternetExpect = DefaultInternetURL, DefaultInternetExpect
	}
}

// Parse decodes and validates a profile; name is the file name its problems carry. Everything
// the file leaves out gets its default. On any problem the error is Errors, with all of them.
func Parse(name string, data []byte) (*Profile, error) {
	if len(data) > MaxSize {
		return nil, Errors{{File: name, Key: "", Code: CodeTooLarge, Args: map[string]any{"max": MaxSize}}}
	}
	p, idx, probs := decode(name, data)
	if p != nil {
		applyLateDefaults(p)
		fillCheckDefaults(p, idx.has)
		cleanTexts(p)
		bad := map[string]bool{}
		for _, pr := range probs {
			bad[pr.Key] = true
		}
		// A key that failed to decode already has its problem; its default must not add another.
		for _, pr := range validate(name, p, idx) {
			if !bad[pr.Key] {
				probs = append(probs, pr)
			}
		}
	}
	if len(probs) > 0 {
		probs.sortByLine()
		return nil, probs[:min(len(probs), maxProblems)]
	}
	return p, nil
}

// Load reads and parses a profile file. A file that cannot be read is a problem too.
func Load(path string) (*Profile, error) {
	p, _, err := load(path)
	return p, err
}

// load also tells whether the file is simply not there, which Resolve skips quietly.
func load(path string) (p *Profile, missing bool, err error) {
	data, err := readFile(path)
	if err != nil {
		return nil, errors.Is(err, os.ErrNotExist),
			Errors{{File: path, Code: CodeUnreadable, Args: map[string]any{"error": err.Error()}}}
	}
	p, err = Parse(path, data)
	return p, false, err
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One byte more than allowed, so Parse can tell an oversized file from a full one.
	return io.ReadAll(io.LimitReader(f, MaxSize+1))
}

// decode runs go-toml's strict decoder. It stops at the first bad value, so each bad key/value
// is recorded, blanked out (keeping line numbers) and the decode repeated: the result names every
// bad value, not only the first. A nil profile means the file could not be decoded at all.
func decode(name string, data []byte) (*Profile, *index, Errors) {
	idx, perr, off := buildIndex(data)
	if perr != nil {
		return nil, idx, Errors{{File: name, Line: idx.lineAt(off), Code: CodeSyntax,
			Args: map[string]any{"error": perr.Message}}}
	}
	buf := bytes.Clone(data)
	var probs Errors
	problem := func(e *entry, code string, args map[string]any) {
		probs = append(probs, Problem{File: name, Line: e.line, Key: e.path, Code: code, Args: args})
	}
	// go-toml reports a non-string duration without a position, and would read a title from a
	// number, so those are caught here.
	for i := range idx.entries {
		e := &idx.entries[i]
		if e.dupOf != 0 {
			continue
		}
		switch t := fieldType(e.shape); {
		case t == durationType && e.kind != unstable.String:
			problem(e, CodeBadDuration, map[string]any{"value": shown(e.value)})
			blank(buf, e.expr)
		case t == titleType && !titleKind(e.kind):
			problem(e, CodeWantTitle, map[string]any{"value": shown(e.value)})
			blank(buf, e.expr)
		}
	}
	for range maxProblems {
		p := defaults()
		dec := toml.NewDecoder(bytes.NewReader(buf))
		dec.DisallowUnknownFields()
		err := dec.Decode(p)
		var strict *toml.StrictMissingError
		var de *toml.DecodeError
		switch {
		case err == nil:
			return p, idx, probs
		case errors.As(err, &strict):
			for _, se := range strict.Errors[:min(len(strict.Errors), maxProblems)] {
				e := idx.at(idx.offset(se.Position()))
				if e == nil {
					row, _ := se.Position()
					probs = append(probs, Problem{File: name, Line: row, Code: CodeUnknownKey,
						Key: strings.Join(se.Key(), "."), Args: map[string]any{"suggest": ""}})
					continue
				}
				problem(e, CodeUnknownKey, map[string]any{"suggest": suggest(e.shape)})
			}
			return p, idx, probs
		case errors.As(err, &de):
			e := idx.at(idx.offset(de.Position()))
			if e == nil {
				row, _ := de.Position()
				probs = append(probs, Problem{File: name, Line: row, Key: strings.Join(de.Key(), "."), Code: CodeInvalid,
					Args: map[string]any{"error": strings.TrimPrefix(de.Error(), "toml: ")}})
				return nil, idx, probs
			}
			key, code, args := classify(e, de)
			probs = append(probs, Problem{File: name, Line: e.line, Key: key, Code: code, Args: args})
			if e.expr[1] <= e.expr[0] {
				return nil, idx, probs // a table header: what follows cannot be placed
			}
			blank(buf, e.expr)
		default:
			probs = append(probs, Problem{File: name, Code: CodeInvalid, Args: map[string]any{"error": err.Error()}})
			return nil, idx, probs
		}
	}
	return nil, idx, probs
}

// maxProblems bounds the decode-and-blank loop (each round decodes the whole file again) and
// the unknown keys listed: a file with more mistakes than this is best fixed from the top anyway.
const maxProblems = 50

// classify turns a positioned decode error into a code the user can read in their language.
func classify(e *entry, de *toml.DecodeError) (key, code string, args map[string]any) {
	value := map[string]any{"value": shown(e.value)}
	if e.dupOf > 0 {
		return e.path, CodeDuplicateKey, map[string]any{"first": e.dupOf}
	}
	key, t := e.path, fieldType(e.shape)
	if t == nil && e.kind == unstable.ArrayTable {
		// [[organisation]]: a table written as a list of tables
		key, t = parent(e.path), fieldType(e.shape[:len(e.shape)-1])
	}
	if t == durationType {
		return key, CodeBadDuration, value
	}
	if t == titleType {
		return key, CodeWantTitle, value
	}
	if t != nil && !kindFits(e.kind, t) {
		if code, ok := wantCodes[t.Kind()]; ok {
			return key, code, value
		}
	}
	return key, CodeInvalid, map[string]any{"error": strings.TrimPrefix(de.Error(), "toml: ")}
}

var wantCodes = map[reflect.Kind]string{
	reflect.String: CodeWantText, reflect.Int: CodeWantInteger, reflect.Float64: CodeWantNumber,
	reflect.Bool: CodeWantBool, reflect.Slice: CodeWantList, reflect.Struct: CodeWantTable,
}

// titleKind reports whether a TOML value of kind k can be a title: text, or a table of languages.
func titleKind(k unstable.Kind) bool {
	return k == unstable.String || k == unstable.InlineTable || k == unstable.Table
}

// kindFits reports whether a TOML value of kind k can decode into t at all.
func kindFits(k unstable.Kind, t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String:
		return k == unstable.String
	case reflect.Int:
		return k == unstable.Integer
	case reflect.Float64:
		return k == unstable.Integer || k == unstable.Float
	case reflect.Bool:
		return k == unstable.Bool
	case reflect.Slice:
		return k == unstable.Array || k == unstable.ArrayTable
	case reflect.Struct:
		return k == unstable.InlineTable || k == unstable.Table
	}
	return false
}

// blank overwrites a byte range with spaces but keeps its newlines, so lines stay where they were.
func blank(buf []byte, r [2]int) {
	for i := r[0]; i < r[1] && i < len(buf); i++ {
		if buf[i] != '\n' {
			buf[i] = ' '
		}
	}
}

// suggest names the known key closest to a misspelt one, or "".
func suggest(shape []string) string {
	if len(shape) == 0 {
		return ""
	}
	t := fieldType(shape[:len(shape)-1])
	if t == nil || t.Kind() != reflect.Struct || t == durationType {
		return ""
	}
	typo, best, bestD := shape[len(shape)-1], "", 3
	for i := range t.NumField() {
		name := tagName(t.Field(i))
		if d := distance(typo, name); d < bestD && d <= len(name)/3+1 {
			best, bestD = name, d
		}
	}
	return best
}

// distance is the Levenshtein edit distance.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
