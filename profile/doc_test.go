package profile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	toml "github.com/pelletier/go-toml/v2"
)

// docFile is the administrators' reference of every key, kept in step with this package.
var docFile = filepath.Join("..", "docs", "profile.md")

// keyPaths lists every key a profile may set, as dotted paths ("support.phone",
// "services.name" for a key of each [[services]] entry). It walks the same struct tags the
// strict decoder accepts (DisallowUnknownFields) and fieldType resolves.
func keyPaths() []string {
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			path := prefix + tagName(f)
			ft := f.Type
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
				ft = ft.Elem() // an array of tables: its entries' keys
			}
			// A duration and a title are values (a title's table of languages is its value).
			if ft.Kind() == reflect.Struct && ft != durationType && ft != titleType {
				walk(ft, path+".")
				continue
			}
			out = append(out, path)
		}
	}
	walk(reflect.TypeFor[Profile](), "")
	return out
}

// docRow is one key of docs/profile.md.
type docRow struct {
	table   string // "" for the top level, "support", "request.webhook", "links" for [[links]]
	array   bool   // the table is an array of tables
	key     string
	dflt    string // the TOML literal of the default, or "required"
	line    int
	rawCell string
}

func (r docRow) path() string {
	if r.table == "" {
		return r.key
	}
	return r.table + "." + r.key
}

var (
	// A section names its table in backticks: ## `[support]`, ## `[[services]]`, ## The top level.
	docTable = regexp.MustCompile("^#{2,4} .*`(\\[\\[?)([a-z_.]+)\\]\\]?`")
	docTop   = regexp.MustCompile(`^#{2,4} The top level`)
	// A row starts with the key in backticks.
	docRowRE  = regexp.MustCompile("^\\| `([a-z_]+)` \\|")
	docTicked = regexp.MustCompile("`([^`]*)`")
)

// parseDoc reads the key tables of the profile reference.
func parseDoc(text string) ([]docRow, error) {
	var rows []docRow
	table, array, inSection := "", false, false
	for i, line := range strings.Split(text, "\n") {
		switch {
		case docTop.MatchString(line):
			table, array, inSection = "", false, true
			continue
		case docTable.MatchString(line):
			m := docTable.FindStringSubmatch(line)
			table, array, inSection = m[2], m[1] == "[[", true
			continue
		case strings.HasPrefix(line, "#"):
			inSection = false
			continue
		}
		m := docRowRE.FindStringSubmatch(line)
		if m == nil || !inSection {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 6 {
			return nil, fmt.Errorf("line %d: a key's row has key, type, default, meaning and constraints: %s", i+1, line)
		}
		cell := strings.TrimSpace(cells[3])
		dflt := cell
		if t := docTicked.FindStringSubmatch(cell); t != nil {
			dflt = t[1]
		}
		rows = append(rows, docRow{table: table, array: array, key: m[1], dflt: dflt, line: i + 1, rawCell: cell})
	}
	return rows, nil
}

func readDoc(t *testing.T) []docRow {
	t.Helper()
	data, err := os.ReadFile(docFile)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := parseDoc(string(data))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestDocListsEveryKey holds docs/profile.md to the keys the decoder accepts: none missing,
// none that does not exist, none twice.
func TestDocListsEveryKey(t *testing.T) {
	rows := readDoc(t)
	documented := map[string]int{}
	for _, r := range rows {
		if first, dup := documented[r.path()]; dup {
			t.Errorf("%s:%d: %s is listed again (first on line %d)", docFile, r.line, r.path(), first)
		}
		documented[r.path()] = r.line
	}
	for _, k := range keyPaths() {
		if _, ok := documented[k]; !ok {
			t.Errorf("%s does not list the key %s", docFile, k)
		}
	}
	for _, r := range rows {
		if !slices.Contains(keyPaths(), r.path()) {
			t.Errorf("%s:%d: %s is not a key of the profile", docFile, r.line, r.path())
		}
	}
}

// TestDocDefaultsAreTheDefaults decodes each documented default with the real decoder and
// compares it with what a profile that leaves the key out gets; a key documented as required
// must be one whose absence the validator reports.
func TestDocDefaultsAreTheDefaults(t *testing.T) {
	defaults, err := Parse("defaults.toml", []byte("schema = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	rows := readDoc(t)
	for _, r := range rows {
		t.Run(r.path(), func(t *testing.T) {
			if r.dflt == "required" {
				if !requiredByValidator(r, rows) {
					t.Errorf("%s:%d: %s is documented as required, but a profile without it passes", docFile, r.line, r.path())
				}
				return
			}
			got, err := decodeOne(r)
			if err != nil {
				t.Fatalf("%s:%d: the default %s does not decode: %v", docFile, r.line, r.rawCell, err)
			}
			var want reflect.Value
			if r.array {
				// Each entry of an array of tables starts from its own defaults, or from nothing.
				want = reflect.Zero(got.Type())
				if d, ok := entryDefaults[r.table]; ok {
					want = field(reflect.ValueOf(d), r.key)
				}
			} else {
				want = field(reflect.ValueOf(defaults).Elem(), r.path())
			}
			if !sameValue(got, want) {
				t.Errorf("%s:%d: %s documents the default %s, but the default is %#v", docFile, r.line, r.path(), r.rawCell, want.Interface())
			}
		})
	}
}

// entryDefaults are the arrays of tables whose entries have defaults of their own.
var entryDefaults = map[string]any{"checks": defaultCheck()}

// decodeOne decodes `key = default` in the row's table into an empty profile and returns the field.
func decodeOne(r docRow) (reflect.Value, error) {
	var b strings.Builder
	switch {
	case r.table == "":
	case r.array:
		fmt.Fprintf(&b, "[[%s]]\n", r.table)
	default:
		fmt.Fprintf(&b, "[%s]\n", r.table)
	}
	fmt.Fprintf(&b, "%s = %s\n", r.key, r.dflt)
	var p Profile
	dec := toml.NewDecoder(strings.NewReader(b.String()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return reflect.Value{}, err
	}
	v := reflect.ValueOf(&p).Elem()
	if r.array {
		list := field(v, r.table)
		if list.Len() != 1 {
			return reflect.Value{}, errors.New("no entry decoded")
		}
		return field(list.Index(0), r.key), nil
	}
	return field(v, r.path()), nil
}

// field follows a dotted path of TOML names from v.
func field(v reflect.Value, path string) reflect.Value {
	for _, name := range strings.Split(path, ".") {
		f, ok := fieldByTag(v.Type(), name)
		if !ok {
			panic("no field " + name + " in " + v.Type().String())
		}
		v = v.FieldByIndex(f.Index)
	}
	return v
}

// sameValue compares decoded values; an empty list is the same whether nil or not.
func sameValue(a, b reflect.Value) bool {
	if a.Kind() == reflect.Slice && a.Len() == 0 && b.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// requiredByValidator parses a profile without the row's key, every other required key of its
// table given, and says whether the validator reports the key as required.
func requiredByValidator(r docRow, rows []docRow) bool {
	var b strings.Builder
	if r.path() != "schema" {
		b.WriteString("schema = 1\n")
	}
	if r.table != "" {
		if r.array {
			fmt.Fprintf(&b, "[[%s]]\n", r.table)
		} else {
			fmt.Fprintf(&b, "[%s]\n", r.table)
		}
		for _, o := range rows {
			if o.table == r.table && o.dflt == "required" && o.key != r.key {
				fmt.Fprintf(&b, "%s = %q\n", o.key, sampleValue(o.key))
			}
		}
	}
	want := r.path()
	if r.array {
		want = r.table + "[0]." + r.key
	}
	_, err := Parse("required.toml", []byte(b.String()))
	var probs Errors
	if !errors.As(err, &probs) {
		return false
	}
	for _, p := range probs {
		if p.Key == want && p.Code == CodeRequired {
			return true
		}
	}
	return false
}

// sampleValue is a valid value for a required text key.
func sampleValue(key string) string {
	if strings.HasSuffix(key, "url") {
		return "https://x.example/"
	}
	return "x"
}

// The checks above must be able to fail: a reference that misses a key, names one that does not
// exist, or documents a wrong default is caught.
func TestDocChecksCatchMistakes(t *testing.T) {
	doc := "## The top level\n\n| key | type | default | meaning | constraints |\n|---|---|---|---|---|\n" +
		"| `schema` | integer | required | the format | 1 |\n\n## `[timeouts]`\n\n" +
		"| key | type | default | meaning | constraints |\n|---|---|---|---|---|\n" +
		"| `check` | duration | `\"3s\"` | one check | > 0 |\n| `totl` | duration | `\"4s\"` | all | > 0 |\n"
	rows, err := parseDoc(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1].path() != "timeouts.check" || rows[1].dflt != `"3s"` {
		t.Fatalf("rows = %+v", rows)
	}
	if slices.Contains(keyPaths(), rows[2].path()) {
		t.Error("a misspelt key passed for a real one")
	}
	if !slices.Contains(keyPaths(), "timeouts.total") {
		t.Error("keyPaths misses timeouts.total, which the reference above leaves out")
	}
	defaults, err := Parse("defaults.toml", []byte("schema = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeOne(rows[1])
	if err != nil {
		t.Fatal(err)
	}
	if sameValue(got, field(reflect.ValueOf(defaults).Elem(), "timeouts.check")) {
		t.Error(`a default of "3s" passed for the real "2s"`)
	}
	if !requiredByValidator(rows[0], rows) {
		t.Error("schema is required, but the check did not see it")
	}
	notRequired := docRow{table: "timeouts", key: "check", dflt: "required"}
	if requiredByValidator(notRequired, []docRow{notRequired}) {
		t.Error("timeouts.check passed for a required key")
	}
}
