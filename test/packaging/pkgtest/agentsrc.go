//go:build linux

package pkgtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
)

// The agent's Windows and macOS login items are built only for their own OS, so these helpers
// read what they write from their source: the installers must write the same login item that
// Apuri's own "start at login" setting writes and reads, or the setting would not see it.

func parseAgentFile(tb TB, name string) *ast.File {
	tb.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(Root, "agent", name), nil, 0)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return f
}

// stringConst is the value of a top-level string constant.
func stringConst(tb TB, f *ast.File, name string) string {
	tb.Helper()
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name == name && i < len(vs.Values) {
					if v, ok := evalString(vs.Values[i], nil); ok {
						return v
					}
				}
			}
		}
	}
	tb.Fatalf("agent: no string constant %s", name)
	return ""
}

// funcBody finds the function or method called name.
func funcBody(tb TB, f *ast.File, name string) *ast.BlockStmt {
	tb.Helper()
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name && fd.Body != nil {
			return fd.Body
		}
	}
	tb.Fatalf("agent: no function %s", name)
	return nil
}

// evalString evaluates string literals, the variables in vars and + between them.
func evalString(e ast.Expr, vars map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.Ident:
		v, ok := vars[e.Name]
		return v, ok
	case *ast.ParenExpr:
		return evalString(e.X, vars)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		l, okl := evalString(e.X, vars)
		r, okr := evalString(e.Y, vars)
		return l + r, okl && okr
	}
	return "", false
}

// RunKey is the value agent.RunKey writes to start Apuri at login: the key under
// HKEY_CURRENT_USER, the value's default name and its data for the program exe.
func RunKey(tb TB, exe string) (key, name, data string) {
	tb.Helper()
	f := parseAgentFile(tb, "autostart_windows.go")
	key = stringConst(tb, f, "RunKeyPath")
	ast.Inspect(funcBody(tb, f, "names"), func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
			if id, ok := as.Lhs[0].(*ast.Ident); ok && id.Name == "name" {
				if v, ok := evalString(as.Rhs[0], nil); ok {
					name = v
				}
			}
		}
		return true
	})
	ast.Inspect(funcBody(tb, f, "SetEnabled"), func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && len(call.Args) == 2 {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "SetStringValue" {
				if v, ok := evalString(call.Args[1], map[string]string{"exe": exe}); ok {
					data = v
				}
			}
		}
		return true
	})
	if key == "" || name == "" || data == "" {
		tb.Fatalf("agent/autostart_windows.go: cannot read the Run value (key %q, name %q, data %q)", key, name, data)
	}
	return key, name, data
}

// LaunchAgent is agent.LaunchAgent's label and the plist it writes to start exe at login.
func LaunchAgent(tb TB, exe string) (label string, plist []byte) {
	tb.Helper()
	f := parseAgentFile(tb, "autostart_darwin.go")
	label = stringConst(tb, f, "LaunchAgentLabel")
	var format string
	ast.Inspect(funcBody(tb, f, "launchAgentPlist"), func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && len(call.Args) >= 2 {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Appendf" {
				format, _ = evalString(call.Args[1], nil)
			}
		}
		return true
	})
	if strings.Count(format, "%s") != 2 {
		tb.Fatalf("agent/autostart_darwin.go: launchAgentPlist's format is not the expected label-then-program template:\n%s", format)
	}
	return label, fmt.Appendf(nil, format, label, exe)
}
