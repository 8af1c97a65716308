package packaging

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/apuri-project/apuri/policy"
)

// The Group Policy template's schema namespace, the same for the ADMX and its ADML files.
const admxNamespace = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"

// admxLanguages are the ADML folders the template ships: one per language Apuri speaks.
var admxLanguages = []string{"en-US", "fi-FI", "sv-SE"}

type admxFile struct {
	XMLName  xml.Name `xml:"policyDefinitions"`
	Revision string   `xml:"revision,attr"`
	Schema   string   `xml:"schemaVersion,attr"`
	Target   struct {
		Prefix    string `xml:"prefix,attr"`
		Namespace string `xml:"namespace,attr"`
	} `xml:"policyNamespaces>target"`
	Using      []struct{}   `xml:"policyNamespaces>using"`
	Supported  []admxNamed  `xml:"supportedOn>definitions>definition"`
	Categories []admxNamed  `xml:"categories>category"`
	Policies   []admxPolicy `xml:"policies>policy"`
}

type admxNamed struct {
	Name        string `xml:"name,attr"`
	DisplayName string `xml:"displayName,attr"`
}

type admxPolicy struct {
	Name         string `xml:"name,attr"`
	Class        string `xml:"class,attr"`
	DisplayName  string `xml:"displayName,attr"`
	ExplainText  string `xml:"explainText,attr"`
	Presentation string `xml:"presentation,attr"`
	Key          string `xml:"key,attr"`
	ValueName    string `xml:"valueName,attr"`
	Category     struct {
		Ref string `xml:"ref,attr"`
	} `xml:"parentCategory"`
	SupportedOn struct {
		Ref string `xml:"ref,attr"`
	} `xml:"supportedOn"`
	Texts []struct {
		ID        string `xml:"id,attr"`
		ValueName string `xml:"valueName,attr"`
	} `xml:"elements>text"`
	Enabled  *admxDecimal `xml:"enabledValue>decimal"`
	Disabled *admxDecimal `xml:"disabledValue>decimal"`
}

type admxDecimal struct {
	Value string `xml:"value,attr"`
}

type admlFile struct {
	XMLName xml.Name `xml:"policyDefinitionResources"`
	Strings []struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"resources>stringTable>string"`
	Presentations []struct {
		ID        string `xml:"id,attr"`
		TextBoxes []struct {
			RefID string `xml:"refId,attr"`
			Label string `xml:"label"`
		} `xml:"textBox"`
	} `xml:"resources>presentationTable>presentation"`
}

func readXML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestADMXWritesWhatApuriReads holds the template to the policy package: the key, the value
// names and the values an administrator's choice writes are those Apuri reads.
func TestADMXWritesWhatApuriReads(t *testing.T) {
	var admx admxFile
	readXML(t, filepath.Join("windows", "Apuri.admx"), &admx)
	if admx.XMLName.Space != admxNamespace || admx.Revision == "" || admx.Schema == "" {
		t.Errorf("root %v revision %q schemaVersion %q", admx.XMLName, admx.Revision, admx.Schema)
	}
	if len(admx.Using) != 0 {
		t.Error("the template uses another template's namespace: Intune would not import it alone")
	}
	byName := map[string]admxPolicy{}
	for _, p := range admx.Policies {
		byName[p.Name] = p
		if p.Key != policy.KeyPath {
			t.Errorf("policy %s writes key %q, Apuri reads %q", p.Name, p.Key, policy.KeyPath)
		}
		if p.Class != "Both" {
			t.Errorf("policy %s is for %q; Apuri reads both the machine's and the user's", p.Name, p.Class)
		}
		if !slices.ContainsFunc(admx.Categories, func(c admxNamed) bool { return c.Name == p.Category.Ref }) {
			t.Errorf("policy %s is in category %q, which is not defined", p.Name, p.Category.Ref)
		}
		if !slices.ContainsFunc(admx.Supported, func(d admxNamed) bool { return d.Name == p.SupportedOn.Ref }) {
			t.Errorf("policy %s is supported on %q, which is not defined", p.Name, p.SupportedOn.Ref)
		}
	}
	path, ok := byName[policy.ValueProfilePath]
	if !ok || len(path.Texts) != 1 || path.Texts[0].ValueName != policy.ValueProfilePath {
		t.Errorf("profile path policy %+v, want one text element writing %q", path, policy.ValueProfilePath)
	}
	auto, ok := byName[policy.ValueAutostart]
	switch {
	case !ok, auto.ValueName != policy.ValueAutostart:
		t.Errorf("autostart policy %+v, want one writing %q", auto, policy.ValueAutostart)
	case auto.Enabled == nil || auto.Enabled.Value != "1" || auto.Disabled == nil || auto.Disabled.Value != "0":
		t.Errorf("autostart writes %+v when enabled and %+v when disabled, want 1 and 0", auto.Enabled, auto.Disabled)
	}
	if len(admx.Policies) != 2 {
		t.Errorf("%d policies, want the two Apuri reads", len(admx.Policies))
	}
}

// TestADMLsHoldEveryString: each language's ADML defines every string and presentation the
// ADMX names, and no other, and each text box belongs to an element of its policy.
func TestADMLsHoldEveryString(t *testing.T) {
	var admx admxFile
	readXML(t, filepath.Join("windows", "Apuri.admx"), &admx)
	data, err := os.ReadFile(filepath.Join("windows", "Apuri.admx"))
	if err != nil {
		t.Fatal(err)
	}
	wantStrings, wantPres := refs(data, "string"), refs(data, "presentation")
	if len(wantStrings) < 6 || len(wantPres) != 1 {
		t.Fatalf("found %d string and %d presentation references; is the pattern right?", len(wantStrings), len(wantPres))
	}
	elements := map[string]string{} // element id → its policy's presentation
	for _, p := range admx.Policies {
		for _, e := range p.Texts {
			elements[e.ID] = p.Presentation
		}
	}
	for _, lang := range admxLanguages {
		t.Run(lang, func(t *testing.T) {
			var adml admlFile
			readXML(t, filepath.Join("windows", lang, "Apuri.adml"), &adml)
			if adml.XMLName.Space != admxNamespace {
				t.Errorf("root %v", adml.XMLName)
			}
			var got []string
			for _, s := range adml.Strings {
				if s.Text == "" {
					t.Errorf("string %s is empty", s.ID)
				}
				got = append(got, s.ID)
			}
			if slices.Sort(got); !slices.Equal(got, wantStrings) {
				t.Errorf("strings %q, the ADMX names %q", got, wantStrings)
			}
			got = nil
			for _, p := range adml.Presentations {
				got = append(got, p.ID)
				for _, b := range p.TextBoxes {
					if elements[b.RefID] != "$(presentation."+p.ID+")" || b.Label == "" {
						t.Errorf("presentation %s: text box %q (label %q) is no element of its policy", p.ID, b.RefID, b.Label)
					}
				}
			}
			if slices.Sort(got); !slices.Equal(got, wantPres) {
				t.Errorf("presentations %q, the ADMX names %q", got, wantPres)
			}
		})
	}
}

// refs lists, sorted and once each, the ids of the $(kind.ID) references in an ADMX.
func refs(admx []byte, kind string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`\$\(`+kind+`\.([A-Za-z0-9_]+)\)`).FindAllSubmatch(admx, -1) {
		out = append(out, string(m[1]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
