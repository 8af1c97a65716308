package profile

import (
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// CustomCheck is a check the organisation writes itself ([[checks]]): the intranet's news page
// answers, a licence server takes connections, the antivirus updated its definitions today. It
// becomes the check custom.<id>, shown by its title like a service, and its advice leads the
// self-help when it fails.
type CustomCheck struct {
	ID    string `toml:"id"`    // custom.ID in the JSON report and the logs
	Title Title  `toml:"title"` // what people call it, per language
	Kind  string `toml:"kind"`  // one of CheckKinds

	// http: the page, the status it answers with and text its body contains.
	URL          string `toml:"url"`
	ExpectStatus int    `toml:"expect_status"`
	ExpectBody   string `toml:"expect_body"`
	// tcp: "host:port" that must take a connection.
	Address string `toml:"address"`
	// dns: a name that must resolve, to ExpectAddress when given.
	Name          string `toml:"name"`
	ExpectAddress string `toml:"expect_address"`
	// file: a file that must exist (MustExist) and be no older than MaxAge (0: any age).
	Path      string   `toml:"path"`
	MaxAge    Duration `toml:"max_age"`
	MustExist bool     `toml:"must_exist"`
	// command: a program and its arguments, run without a shell as the user; exit 0 is ok,
	// 1 a warning, 2 (or any other) a failure; its first output line is the summary.
	Run     []string `toml:"run"`
	Timeout Duration `toml:"timeout"` // 0: the profile's timeouts.check
	// registry (Windows): the value Value of Key must exist and, when Expect is given, read so.
	Key    string `toml:"key"`
	Value  string `toml:"value"`
	Expect string `toml:"expect"`

	Severity string `toml:"severity"` // SeverityWarn or SeverityFail: what a failure counts as
	// Advice is the first self-help step when the check fails, per language like a title.
	Advice Title `toml:"advice"`
	// Fix is a one-click remedy, run like Run once the user has confirmed it.
	Fix []string `toml:"fix"`
}

// The kinds of custom check.
const (
	CheckHTTP     = "http"
	CheckTCP      = "tcp"
	CheckDNS      = "dns"
	CheckFile     = "file"
	CheckCommand  = "command"
	CheckRegistry = "registry"
)

// CheckKinds lists the values of kind.
var CheckKinds = []string{CheckHTTP, CheckTCP, CheckDNS, CheckFile, CheckCommand, CheckRegistry}

// What a failed custom check counts as.
const (
	SeverityWarn = "warn"
	SeverityFail = "fail"
)

// Severities lists the values of severity.
var Severities = []string{SeverityWarn, SeverityFail}

// kindKeys are the keys that belong to one kind only; a key of another kind is a mistake the
// administrator wants to hear about (a tcp check with a url checks nothing of the sort).
var kindKeys = map[string][]string{
	CheckHTTP:     {"url", "expect_status", "expect_body"},
	CheckTCP:      {"address"},
	CheckDNS:      {"name", "expect_address"},
	CheckFile:     {"path", "max_age", "must_exist"},
	CheckCommand:  {"run", "timeout"},
	CheckRegistry: {"key", "value", "expect"},
}

// defaultCheck is what a [[checks]] entry holds for each key it leaves out.
func defaultCheck() CustomCheck {
	return CustomCheck{ExpectStatus: 200, MustExist: true, Severity: SeverityFail}
}

// fillCheckDefaults gives each [[checks]] entry the defaults of the keys its file left out.
// The file is asked (written) rather than the value, because false and 0 are values too.
func fillCheckDefaults(p *Profile, written func(key string) bool) {
	dflt := reflect.ValueOf(defaultCheck())
	t := dflt.Type()
	for i := range p.Checks {
		v := reflect.ValueOf(&p.Checks[i]).Elem()
		for f := range t.NumField() {
			if dflt.Field(f).IsZero() {
				continue
			}
			if !written(checkKey(i, tagName(t.Field(f)))) {
				v.Field(f).Set(dflt.Field(f))
			}
		}
	}
}

// checkKey is the path of one key of the i-th [[checks]] entry.
func checkKey(i int, key string) string {
	return "checks[" + strconv.Itoa(i) + "]." + key
}

// Titles is what people call the check in each language: its title, or else its ID written
// as a name.
func (c CustomCheck) Titles() map[string]string { return titles(c.Title, DisplayName(c.ID)) }

// Advices is the check's advice in each language; nil when it gives none.
func (c CustomCheck) Advices() map[string]string {
	if c.Advice.IsZero() {
		return nil
	}
	return titles(c.Advice, "")
}

// CheckTimeout is how long the check may take: its own timeout, else the profile's
// timeouts.check.
func (p *Profile) CheckTimeout(c CustomCheck) time.Duration {
	if c.Timeout.Duration > 0 {
		return c.Timeout.Duration
	}
	return p.Timeouts.Check.Duration
}

// CheckByID finds a custom check by its ID, the suffix of its check ID.
func (p *Profile) CheckByID(id string) (CustomCheck, bool) {
	for _, c := range p.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return CustomCheck{}, false
}

// ExpandPath is a file check's path with a leading ~ read as the user's home folder.
func ExpandPath(path, home string) string {
	if rest, ok := strings.CutPrefix(path, "~"); ok && home != "" && (rest == "" || rest[0] == '/' || rest[0] == '\\') {
		return filepath.Join(home, rest)
	}
	return path
}
