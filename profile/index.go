package profile

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// entry is one key, table header or array element of a profile file, with where it stands.
// Validation runs on the decoded struct, which has forgotten the file; the entries give its
// problems a line again.
type entry struct {
	path   string   // services[1].url
	shape  []string // services # url: the path with indexes as "#", to find the Go type
	line   int
	start  int // byte range of the node, to find the entry a decode error points at
	end    int
	expr   [2]int // byte range of the whole top-level key/value; empty for headers
	kind   unstable.Kind
	value  string // the value as written, for messages
	header bool
	dupOf  int // line of an earlier definition of the same path, or 0
}

// index maps the paths of one file to entries.
type index struct {
	entries []entry
	byPath  map[string]int
	lines   []int // byte offset where each line starts
}

// buildIndex walks the document with go-toml's own parser, so the positions agree with the
// decoder's. A syntax error comes back with its byte offset (or -1 when unknown).
func buildIndex(data []byte) (*index, *unstable.ParserError, int) {
	x := &index{byPath: map[string]int{}, lines: []int{0}}
	for i, b := range data {
		if b == '\n' {
			x.lines = append(x.lines, i+1)
		}
	}
	var p unstable.Parser
	p.Reset(data)
	arrays := map[string]int{} // array-of-tables path → elements seen so far
	var prefix string
	var prefixShape []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			path, shape, start, end := joinKeys(prefix, prefixShape, e.Key())
			if e.Raw.Length > 0 {
				start, end = int(e.Raw.Offset), int(e.Raw.Offset+e.Raw.Length)
			}
			x.addValue(&p, e.Value(), path, shape, start, end, [2]int{start, end})
		case unstable.Table, unstable.ArrayTable:
			prefix, prefixShape = "", nil
			it := e.Key()
			var start, end int
			first := true
			for it.Next() {
				k := it.Node()
				if first {
					start, first = int(k.Raw.Offset), false
				}
				end = int(k.Raw.Offset + k.Raw.Length)
				prefix, prefixShape = join(prefix, k.Data), append(prefixShape, string(k.Data))
				if e.Kind == unstable.ArrayTable && it.IsLast() {
					arrays[prefix]++
				}
				if n := arrays[prefix]; n > 0 {
					prefix, prefixShape = fmt.Sprintf("%s[%d]", prefix, n-1), append(prefixShape, "#")
				}
			}
			value := "[" + string(data[start:end]) + "]"
			if e.Kind == unstable.ArrayTable {
				value = "[" + value + "]"
			}
			x.add(entry{path: prefix, shape: prefixShape, start: start, end: end, kind: e.Kind, value: value, header: true})
		}
	}
	if err := p.Error(); err != nil {
		perr, _ := err.(*unstable.ParserError)
		if perr == nil {
			perr = &unstable.ParserError{Message: err.Error()}
		}
		return x, perr, offsetOf(data, perr.Highlight)
	}
	return x, nil, -1
}

// offsetOf finds where the parser's highlight, a subslice of data, begins.
func offsetOf(data, highlight []byte) int {
	if highlight == nil {
		return -1
	}
	off := cap(data) - cap(highlight)
	if off < 0 || off > len(data) {
		return -1
	}
	return off
}

// joinKeys appends a (dotted) key to a path and returns the byte range of the key.
func joinKeys(prefix string, shape []string, it unstable.Iterator) (string, []string, int, int) {
	path, sh := prefix, append([]string(nil), shape...)
	start, end := -1, 0
	for it.Next() {
		k := it.Node()
		if start < 0 {
			start = int(k.Raw.Offset)
		}
		end = int(k.Raw.Offset + k.Raw.Length)
		path, sh = join(path, k.Data), append(sh, string(k.Data))
	}
	return path, sh, start, end
}

func (x *index) addValue(p *unstable.Parser, v *unstable.Node, path string, shape []string, start, end int, expr [2]int) {
	ent := entry{path: path, shape: shape, start: start, end: end, expr: expr, kind: v.Kind}
	switch v.Kind {
	case unstable.Array:
		ent.value = "[…]"
	case unstable.InlineTable:
		ent.value = "{…}"
	default:
		ent.value = string(p.Raw(v.Raw))
	}
	x.add(ent)
	switch v.Kind {
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			c := it.Node()
			s, e := start, end
			if c.Raw.Length > 0 {
				s, e = int(c.Raw.Offset), int(c.Raw.Offset+c.Raw.Length)
			}
			x.addValue(p, c, fmt.Sprintf("%s[%d]", path, i), append(append([]string(nil), shape...), "#"), s, e, expr)
		}
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			kpath, kshape, s, e := joinKeys(path, shape, kv.Key())
			if kv.Raw.Length > 0 {
				s, e = int(kv.Raw.Offset), int(kv.Raw.Offset+kv.Raw.Length)
			}
			x.addValue(p, kv.Value(), kpath, kshape, s, e, expr)
		}
	}
}

func (x *index) add(e entry) {
	e.line = x.lineAt(e.start)
	if i, ok := x.byPath[e.path]; ok {
		// Re-opening an array-of-tables element is not a redefinition; anything else is.
		if !(e.header && x.entries[i].header && e.kind == unstable.ArrayTable) {
			e.dupOf = x.entries[i].line
		}
	} else {
		x.byPath[e.path] = len(x.entries)
	}
	x.entries = append(x.entries, e)
}

// lineAt turns a byte offset into a 1-based line number.
func (x *index) lineAt(off int) int {
	if off < 0 {
		return 0
	}
	return sort.Search(len(x.lines), func(i int) bool { return x.lines[i] > off })
}

// offset turns a decode error's 1-based row and column back into a byte offset.
func (x *index) offset(row, col int) int {
	if row < 1 || row > len(x.lines) {
		return -1
	}
	return x.lines[row-1] + col - 1
}

// at returns the innermost entry containing the byte offset, or nil.
func (x *index) at(off int) *entry {
	var best *entry
	for i := range x.entries {
		e := &x.entries[i]
		if e.start <= off && off < max(e.end, e.start+1) && (best == nil || e.end-e.start <= best.end-best.start) {
			best = e
		}
	}
	return best
}

// has reports whether the file wrote path itself.
func (x *index) has(path string) bool {
	if x == nil {
		return false
	}
	_, ok := x.byPath[path]
	return ok
}

// line is the line of path, or of its nearest written parent (a missing key is reported at its
// table's header), or 0.
func (x *index) line(path string) int {
	if x == nil {
		return 0
	}
	for path != "" {
		if i, ok := x.byPath[path]; ok {
			return x.entries[i].line
		}
		path = parent(path)
	}
	return 0
}

func parent(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// join appends one key to a dotted path, quoting it as TOML would if it is not bare.
func join(prefix string, key []byte) string {
	k := string(key)
	if !bareKey.MatchString(k) {
		k = strconv.Quote(k)
	}
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

var (
	durationType = reflect.TypeFor[Duration]()
	titleType    = reflect.TypeFor[Title]()
)

// fieldType is the Go type a shape decodes into, or nil for a key the profile does not have.
func fieldType(shape []string) reflect.Type {
	t := reflect.TypeFor[Profile]()
	for _, s := range shape {
		switch {
		case s == "#" && t.Kind() == reflect.Slice:
			t = t.Elem()
		case t.Kind() == reflect.Struct && t != durationType:
			f, ok := fieldByTag(t, s)
			if !ok {
				return nil
			}
			t = f.Type
		default:
			return nil
		}
	}
	return t
}

func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if f := t.Field(i); tagName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	return name
}
