//go:build linux

package packaging_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// parsePlist reads an XML property list strictly (Apple's PropertyList-1.0 DTD): one value in
// <plist version="1.0">; a dict is pairs of <key> and a value, with no key twice. Values come
// back as string, int64, float64, bool, []any or map[string]any; <date> and <data> as their text.
func parsePlist(data []byte) (any, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	start, err := nextStart(dec)
	if err != nil {
		return nil, err
	}
	if start.Name.Local != "plist" {
		return nil, fmt.Errorf("root element <%s>, want <plist>", start.Name.Local)
	}
	if v := attr(start, "version"); v != "1.0" {
		return nil, fmt.Errorf("plist version %q, want 1.0", v)
	}
	first, err := nextStart(dec)
	if err != nil {
		return nil, err
	}
	v, err := plistValue(dec, first)
	if err != nil {
		return nil, err
	}
	if err := expectEnd(dec, "plist"); err != nil {
		return nil, err
	}
	if _, err := nextStart(dec); !errors.Is(err, io.EOF) {
		return nil, errors.New("content after </plist>")
	}
	return v, nil
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// nextStart skips comments, processing instructions, the DOCTYPE and white space; other text
// between elements is an error.
func nextStart(dec *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := dec.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, fmt.Errorf("unexpected </%s>", t.Name.Local)
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return xml.StartElement{}, fmt.Errorf("stray text %q", t)
			}
		}
	}
}

// endOrStart returns the next element or nil at the end of the element being read.
func endOrStart(dec *xml.Decoder, parent string) (*xml.StartElement, error) {
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &t, nil
		case xml.EndElement:
			if t.Name.Local != parent {
				return nil, fmt.Errorf("</%s> closes <%s>", t.Name.Local, parent)
			}
			return nil, nil
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return nil, fmt.Errorf("stray text %q in <%s>", t, parent)
			}
		}
	}
}

func expectEnd(dec *xml.Decoder, name string) error {
	next, err := endOrStart(dec, name)
	if err != nil {
		return err
	}
	if next != nil {
		return fmt.Errorf("<%s> holds more than one value", name)
	}
	return nil
}

func elementText(dec *xml.Decoder, se xml.StartElement) (string, error) {
	var s string
	if err := dec.DecodeElement(&s, &se); err != nil {
		return "", fmt.Errorf("<%s>: %w", se.Name.Local, err)
	}
	return s, nil
}

func plistValue(dec *xml.Decoder, se xml.StartElement) (any, error) {
	switch se.Name.Local {
	case "string", "date", "data":
		return elementText(dec, se)
	case "integer":
		s, err := elementText(dec, se)
		if err != nil {
			return nil, err
		}
		return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	case "real":
		s, err := elementText(dec, se)
		if err != nil {
			return nil, err
		}
		return strconv.ParseFloat(strings.TrimSpace(s), 64)
	case "true", "false":
		if err := expectEnd(dec, se.Name.Local); err != nil {
			return nil, err
		}
		return se.Name.Local == "true", nil
	case "array":
		arr := []any{}
		for {
			next, err := endOrStart(dec, "array")
			if err != nil {
				return nil, err
			}
			if next == nil {
				return arr, nil
			}
			v, err := plistValue(dec, *next)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
	case "dict":
		dict := map[string]any{}
		for {
			next, err := endOrStart(dec, "dict")
			if err != nil {
				return nil, err
			}
			if next == nil {
				return dict, nil
			}
			if next.Name.Local != "key" {
				return nil, fmt.Errorf("<%s> in a dict where a <key> belongs", next.Name.Local)
			}
			key, err := elementText(dec, *next)
			if err != nil {
				return nil, err
			}
			if _, dup := dict[key]; dup {
				return nil, fmt.Errorf("key %q twice", key)
			}
			vs, err := endOrStart(dec, "dict")
			if err != nil {
				return nil, err
			}
			if vs == nil {
				return nil, fmt.Errorf("key %q has no value", key)
			}
			if dict[key], err = plistValue(dec, *vs); err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
		}
	}
	return nil, fmt.Errorf("<%s> is not a property list value", se.Name.Local)
}
