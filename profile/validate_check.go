package profile

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/apuri-project/apuri/internal/safetext"
)

// checkID is what may follow "custom." in a check ID.
var checkID = regexp.MustCompile(`^[a-z0-9_-]+$`)

// registryRoots are the hives a registry check may read, long and short names.
var registryRoots = []string{
	"HKEY_LOCAL_MACHINE", "HKLM", "HKEY_CURRENT_USER", "HKCU", "HKEY_CLASSES_ROOT", "HKCR",
	"HKEY_USERS", "HKU", "HKEY_CURRENT_CONFIG", "HKCC",
}

// maxAdvice bounds an advice text: one step of the ladder, a sentence or two.
const maxAdvice = 300

// maxCheckTimeout bounds a command's timeout: a diagnosis has to finish while the user waits.
const maxCheckTimeout = time.Minute

// checks validates [[checks]]. Each problem names the entry's key, checks[i].…, and the
// message names the check's ID where the key alone would not say which check is meant.
func (v *validator) checks(p *Profile) {
	first := map[string]int{}
	for i, c := range p.Checks {
		from := len(v.probs)
		v.check(i, c, first, p.Timeouts.Total.Duration)
		if checkID.MatchString(c.ID) {
			for j := from; j < len(v.probs); j++ {
				v.probs[j].Check = c.ID
			}
		}
	}
}

// check validates the i-th [[checks]] entry; first holds the IDs of the entries before it,
// total is the profile's timeouts.total, which no check outlasts.
func (v *validator) check(i int, c CustomCheck, first map[string]int, total time.Duration) {
	key := func(k string) string { return checkKey(i, k) }
	if v.required(key("id"), c.ID) {
		if !checkID.MatchString(c.ID) {
			v.add(key("id"), CodeBadCheckID, map[string]any{"value": shown(c.ID)})
		} else if j, dup := first[c.ID]; dup {
			v.add(key("id"), CodeDuplicateCheck, map[string]any{"value": c.ID, "first": fmt.Sprintf("checks[%d]", j)})
		} else {
			first[c.ID] = i
		}
	}
	if c.Title.IsZero() {
		v.add(key("title"), CodeRequired, nil)
	} else {
		v.title(key("title"), c.Title)
	}
	v.advice(key("advice"), c.Advice)
	if c.Severity != SeverityWarn && c.Severity != SeverityFail {
		v.add(key("severity"), CodeUnknownChoice,
			map[string]any{"value": shown(c.Severity), "known": strings.Join(Severities, ", ")})
	}
	if len(c.Fix) > 0 || v.idx.has(key("fix")) {
		v.command(key("fix"), c.Fix)
	}
	if !v.required(key("kind"), c.Kind) {
		return
	}
	if !slices.Contains(CheckKinds, c.Kind) {
		v.add(key("kind"), CodeUnknownChoice,
			map[string]any{"value": shown(c.Kind), "known": strings.Join(CheckKinds, ", ")})
		return
	}
	v.otherKindKeys(i, c.Kind)
	v.checkKind(i, c)
	if t := c.Timeout.Duration; t > 0 && total > 0 && t > total && t <= maxCheckTimeout {
		v.add(key("timeout"), CodeCheckOverTotal, map[string]any{"check": t.String(), "total": total.String()})
	}
}

// checkKind checks the keys the check's kind needs.
func (v *validator) checkKind(i int, c CustomCheck) {
	key := func(k string) string { return checkKey(i, k) }
	switch c.Kind {
	case CheckHTTP:
		v.webURL(key("url"), c.URL, true)
		v.inRange(key("expect_status"), float64(c.ExpectStatus), 100, 599)
	case CheckTCP:
		if v.required(key("address"), c.Address) && !isHostPort(c.Address) {
			v.add(key("address"), CodeBadHostPort, map[string]any{"value": shown(c.Address)})
		}
	case CheckDNS:
		if v.required(key("name"), c.Name) && !isHostName(c.Name) {
			v.add(key("name"), CodeBadHostName, map[string]any{"value": shown(c.Name)})
		}
		if _, err := netip.ParseAddr(c.ExpectAddress); c.ExpectAddress != "" && err != nil {
			v.add(key("expect_address"), CodeBadIP, map[string]any{"value": shown(c.ExpectAddress)})
		}
	case CheckFile:
		if v.required(key("path"), c.Path) && !absolute(c.Path) && !strings.HasPrefix(c.Path, "~/") &&
			!strings.HasPrefix(c.Path, `~\`) {
			v.add(key("path"), CodeNotAbsolute, map[string]any{"value": shown(c.Path)})
		}
		if c.MaxAge.Duration != 0 {
			v.durationIn(key("max_age"), c.MaxAge.Duration, time.Minute, 366*24*time.Hour)
		}
	case CheckCommand:
		v.command(key("run"), c.Run)
		if c.Timeout.Duration != 0 {
			v.durationIn(key("timeout"), c.Timeout.Duration, time.Second, maxCheckTimeout)
		}
	case CheckRegistry:
		root, _, _ := strings.Cut(c.Key, `\`)
		if v.required(key("key"), c.Key) && (!slices.Contains(registryRoots, strings.ToUpper(root)) ||
			!strings.Contains(c.Key, `\`) || !safetext.Clean(c.Key)) {
			v.add(key("key"), CodeBadRegistryKey, map[string]any{"value": shown(c.Key)})
		}
	}
}

// otherKindKeys reports keys that belong to another kind of check. A profile built in code has
// no file to ask, and is not held to this.
func (v *validator) otherKindKeys(i int, kind string) {
	for k, keys := range kindKeys {
		if k == kind {
			continue
		}
		for _, name := range keys {
			if v.idx.has(checkKey(i, name)) {
				v.add(checkKey(i, name), CodeKeyNotForKind, map[string]any{"kind": kind})
			}
		}
	}
}

// command checks a command line: Apuri runs it as the user, without a shell.
func (v *validator) command(key string, argv []string) {
	switch problem := CommandProblem(argv); problem {
	case "":
	case CommandEmpty:
		v.add(key, CodeRequired, nil)
	default:
		v.add(key, CodeBadCommand+"."+problem, map[string]any{"value": shown(strings.Join(argv, " "))})
	}
}

// advice checks an advice text: like a title, but a sentence or two long.
func (v *validator) advice(key string, t Title) {
	if t.IsZero() {
		if v.idx.has(key) {
			v.add(key, CodeRequired, nil)
		}
		return
	}
	for _, s := range t.texts() {
		if utf8.RuneCountInString(s) > maxAdvice || strings.TrimSpace(s) != s ||
			strings.IndexFunc(s, unicode.IsControl) >= 0 || !safetext.Clean(s) {
			v.add(key, CodeBadAdvice, map[string]any{"value": shown(s), "max": maxAdvice})
			return
		}
	}
}
