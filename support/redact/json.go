package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// codeFields are keys whose values are Apuri's own identifiers (check IDs, translation keys,
// causes): never personal, and the report is unreadable without them.
var codeFields = map[string]bool{"id": true, "key": true, "schema": true, "cause": true,
	"status": true, "group": true, "reason": true, "evidence": true, "advice_keys": true,
	"kind": true, "event": true}

// JSON redacts a JSON document by its structure and returns it indented, its fields in their
// order. A field is judged by its key first: a password's value goes whatever its type (a
// number, a list, an object); a Wi-Fi name, a hardware address, a host or a user name goes by
// what the field is, not by whether its text happens to look like one. Other strings, keys
// included, are redacted as text; Apuri's identifiers stay.
func (r *Redactor) JSON(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readJSON(dec, 0)
	if err != nil {
		return nil, fmt.Errorf("read JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("read JSON: more than one document")
	}
	r.walk(v, "")
	var out bytes.Buffer
	writeJSON(&out, v)
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, out.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("indent redacted JSON: %w", err)
	}
	pretty.WriteByte('\n')
	return pretty.Bytes(), nil
}

// node is one JSON value, objects with their keys in order.
type node struct {
	kind byte // '{', '[', 's' string, 'v' number, true, false or null as written
	text string
	keys []string
	vals []*node
}

// maxJSONDepth bounds nesting; a report is a few levels deep.
const maxJSONDepth = 1000

var errTooDeep = errors.New("nested too deeply")

func readJSON(dec *json.Decoder, depth int) (*node, error) {
	if depth > maxJSONDepth {
		return nil, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &node{kind: byte(t)}
		for dec.More() {
			if t == '{' {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k.(string))
			}
			v, err := readJSON(dec, depth+1)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
		return n, nil
	case string:
		return &node{kind: 's', text: t}, nil
	case json.Number:
		return &node{kind: 'v', text: t.String()}, nil
	case bool:
		return &node{kind: 'v', text: fmt.Sprint(t)}, nil
	default:
		return &node{kind: 'v', text: "null"}, nil
	}
}

// walk redacts n, the value of the field key ("" in a list or at the top).
func (r *Redactor) walk(n *node, key string) {
	switch n.kind {
	case '{':
		for i, k := range n.keys {
			r.field(n.vals[i], k)
			n.keys[i] = r.String(k)
		}
	case '[':
		for _, v := range n.vals {
			r.walk(v, key)
		}
	case 's':
		n.text = r.String(n.text)
	}
}

// field redacts the value of key by what the key says it is.
func (r *Redactor) field(v *node, key string) {
	if codeFields[key] {
		return
	}
	switch classifyKey(key) {
	case keyStrong:
		if !(v.kind == 'v' && v.text == "null") && !(v.kind == 's' && (v.text == "" || onlyMarkers(v.text))) {
			*v = node{kind: 's', text: "[secret]"}
			r.counts[KindSecret]++
		}
		return
	case keyWeak:
		if v.kind == 's' && looksSecret(v.text) {
			*v = node{kind: 's', text: "[secret]"}
			r.counts[KindSecret]++
			return
		}
	}
	if kind := fieldKind(key); kind != "" && v.kind != '{' {
		r.structured(v, kind) // an object ("host": {"os": …}) is read field by field instead
		return
	}
	r.walk(v, key)
}

// structured redacts a field that names a network, a device, a computer, a user or an
// address, in every string of its value.
func (r *Redactor) structured(v *node, kind string) {
	switch v.kind {
	case '{':
		r.walk(v, "")
		return
	case '[':
		for _, x := range v.vals {
			r.structured(x, kind)
		}
		return
	case 's':
	default:
		return
	}
	s := v.text
	if strings.TrimSpace(s) == "" || onlyMarkers(s) {
		return
	}
	switch kind {
	case KindMAC:
		v.text = "[mac]"
		r.counts[KindMAC]++
	case KindSSID:
		v.text = "[ssid]"
		r.counts[KindSSID]++
	case KindUserName:
		if strings.Contains(s, "@") {
			v.text = r.String(s)
		} else if !systemUser(s) {
			v.text = "[user]"
			r.counts[KindUserName]++
		}
	case KindHost, KindIP:
		host, port := splitHostPort(s)
		if strings.ContainsAny(host, " /@") {
			v.text = r.String(s) // a sentence or a URL, not a bare name
		} else if p, ok := r.host(strings.Trim(host, "[]")); ok {
			if strings.HasPrefix(host, "[") {
				p = "[" + p + "]"
			}
			v.text = p + port
		}
	}
}

// writeJSON writes n compactly; strings are escaped as JSON requires, HTML characters not.
func writeJSON(b *bytes.Buffer, n *node) {
	switch n.kind {
	case '{', '[':
		b.WriteByte(n.kind)
		for i, v := range n.vals {
			if i > 0 {
				b.WriteByte(',')
			}
			if n.kind == '{' {
				writeString(b, n.keys[i])
				b.WriteByte(':')
			}
			writeJSON(b, v)
		}
		if n.kind == '{' {
			b.WriteByte('}')
		} else {
			b.WriteByte(']')
		}
	case 's':
		writeString(b, n.text)
	default:
		b.WriteString(n.text)
	}
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}
