package agent

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestRunValueQuotesTheProgram(t *testing.T) {
	if got, want := RunValueData(`C:\Program Files\Apuri\apuri.exe`), `"C:\Program Files\Apuri\apuri.exe"`; got != want {
		t.Errorf("RunValueData = %s, want %s", got, want)
	}
}

// TestLaunchAgentPlistIsXMLWithTheProgram: a program path with XML's special characters still
// gives a well-formed plist that names exactly that program.
func TestLaunchAgentPlistIsXMLWithTheProgram(t *testing.T) {
	exe := "/Applications/A & <B>.app/Contents/MacOS/apuri"
	plist := LaunchAgentPlist(LaunchAgentLabel, exe)
	dec := xml.NewDecoder(strings.NewReader(string(plist)))
	var strs []string
	inString := false
	for {
		tok, err := dec.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("not well-formed XML: %v\n%s", err, plist)
			}
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inString = tok.Name.Local == "string"
		case xml.EndElement:
			inString = false
		case xml.CharData:
			if inString {
				strs = append(strs, string(tok))
			}
		}
	}
	if len(strs) < 2 || strs[0] != LaunchAgentLabel || strs[1] != exe {
		t.Errorf("the plist's strings are %q, want the label then %q", strs, exe)
	}
}
