package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2/lang"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// TestFyneSpeaksTheChosenLanguage: Fyne's own words follow Apuri's language, whatever the
// system's locale says, including Finnish, which Fyne does not ship.
func TestFyneSpeaksTheChosenLanguage(t *testing.T) {
	systems := []struct {
		name string
		env  map[string]string
	}{
		{"no locale", map[string]string{"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}},
		{"C locale", map[string]string{"LANGUAGE": "", "LC_ALL": "C", "LC_MESSAGES": "", "LANG": ""}},
		{"German system", map[string]string{"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "de_DE.UTF-8"}},
		{"Swedish system", map[string]string{"LANGUAGE": "sv_FI:sv", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "sv_FI.UTF-8"}},
		{"Finnish system", map[string]string{"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "fi_FI.UTF-8"}},
		{"English system", map[string]string{"LANGUAGE": "", "LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "", "LANG": "en_US.UTF-8"}},
	}
	for _, sys := range systems {
		for _, l := range i18n.Languages {
			t.Run(sys.name+"/"+l, func(t *testing.T) {
				for k, v := range sys.env {
					t.Setenv(k, v)
				}
				tr := i18n.New(l)
				if err := useFyneLanguage(tr); err != nil {
					t.Fatal(err)
				}
				for id, key := range fyneWords {
					if got, want := lang.L(id), tr.T(key, nil); got != want {
						t.Errorf("Fyne says %q for %q, want %q", got, id, want)
					}
				}
			})
		}
	}
}

// TestKeysInEveryLanguage: every key the windows use is translated in every language,
// including the keys they build from parts.
func TestKeysInEveryLanguage(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range fyneWords {
		keys[k] = true
	}
	for _, w := range []string{WindowDetails, WindowHelp, WindowSettings} {
		keys["window."+w+".title"] = true
	}
	for _, l := range i18n.Languages {
		keys["window.settings.lang_"+l] = true
	}
	for _, kind := range []string{profile.SourceFlag, profile.SourcePolicy, profile.SourceUser, profile.SourceSystem, profile.SourceEmbedded} {
		keys["profile.source."+kind] = true
	}
	for _, c := range profile.Codes {
		keys[profile.Problem{Code: c}.Message().Key] = true
	}
	literal := regexp.MustCompile(`"((?:window|report|profile|agent)\.[a-z0-9_.]*[a-z0-9])"`)
	for _, f := range sourceFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = true
		}
	}
	if len(keys) < 60 {
		t.Fatalf("only %d keys found; is the scan looking in the right place?", len(keys))
	}
	for k := range keys {
		if strings.HasSuffix(k, ".") {
			continue
		}
		for _, l := range i18n.Languages {
			if text, ok := i18n.Text(l, k); !ok || strings.TrimSpace(text) == "" {
				t.Errorf("%s has no %q", l, k)
			}
		}
	}
}

// sourceFiles are the package's production files.
func sourceFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			out = append(out, f)
		}
	}
	if len(out) < 5 {
		t.Fatalf("found only %v", out)
	}
	return out
}

// textCalls are the calls whose string arguments people read: a literal there bypasses the
// translations.
var textCalls = map[string]bool{
	"NewLabel": true, "NewLabelWithStyle": true, "NewButton": true, "NewButtonWithIcon": true,
	"NewCheck": true, "NewHyperlink": true, "NewRichTextWithText": true, "NewRichTextFromMarkdown": true,
	"NewCard": true, "NewSelect": true, "NewRadioGroup": true, "NewAccordionItem": true, "NewFormItem": true,
	"NewText": true, "NewWindow": true, "SetText": true, "SetTitle": true, "SetPlaceHolder": true,
	"SetDismissText": true, "SetConfirmText": true, "ShowInformation": true, "NewInformation": true,
	"ShowConfirm": true, "NewConfirm": true, "NewCustom": true, "NewCustomConfirm": true,
	"NewCustomWithoutButtons": true, "ShowCustom": true, "ShowCustomConfirm": true,
	"NewTabItem": true, "NewTabItemWithIcon": true, "SendNotification": true, "NewNotification": true,
	"wrapping": true, "bold": true, "heading": true, "showError": true, "newCountdown": true, "link": true,
}

// textFields are widget fields people read.
var textFields = map[string]bool{"Text": true, "Title": true, "Subtitle": true, "PlaceHolder": true}

// untranslated lists the literals with letters that reach people without a translation.
func untranslated(fset *token.FileSet, f *ast.File) []string {
	var out []string
	report := func(e ast.Expr) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || !strings.ContainsFunc(s, unicode.IsLetter) {
			return
		}
		out = append(out, fset.Position(lit.Pos()).String()+": "+lit.Value)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			name := ""
			switch fn := n.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if textCalls[name] {
				for _, a := range n.Args {
					report(a)
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok && textFields[k.Name] {
				report(n.Value)
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if sel, ok := l.(*ast.SelectorExpr); ok && textFields[sel.Sel.Name] && i < len(n.Rhs) {
					report(n.Rhs[i])
				}
			}
		}
		return true
	})
	return out
}

// TestNoUntranslatedText: no text literal reaches a widget, a dialog or a window title.
func TestNoUntranslatedText(t *testing.T) {
	fset := token.NewFileSet()
	for _, name := range sourceFiles(t) {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range untranslated(fset, f) {
			t.Errorf("text that bypasses the translations: %s", bad)
		}
	}
}

// TestUntranslatedFindsLiterals proves the scan above can fail.
func TestUntranslatedFindsLiterals(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"label", `widget.NewLabel("Hello")`, 1},
		{"button", `widget.NewButton("Run again", nil)`, 1},
		{"set text", `l.SetText("Saved")`, 1},
		{"field", `l.Text = "Saved"`, 1},
		{"composite", `_ = widget.Label{Text: "Saved"}`, 1},
		{"dialog", `dialog.ShowInformation("Done", "All good", w)`, 2},
		{"helper", `wrapping("Checking")`, 1},
		{"translated", `widget.NewLabel(e.t("window.details.log"))`, 0},
		{"no letters", `widget.NewLabel("")`, 0},
		{"units", `l.SetText(s + " ms")`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "x.go", "package x\nfunc f() { _ = func() { "+tt.src+" } }\n", 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := untranslated(fset, f); len(got) != tt.want {
				t.Errorf("found %q, want %d", got, tt.want)
			}
		})
	}
}
