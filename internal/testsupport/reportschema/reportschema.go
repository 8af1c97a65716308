// Package reportschema checks JSON against the report contract, docs/report.schema.json, so that
// the tests of the CLI, the diagnostics and the fault lab hold real reports to the schema that
// scripts and ticket systems are promised.
package reportschema

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaFile is where the schema lives, relative to the module root.
const SchemaFile = "docs/report.schema.json"

// modulePath identifies the module root while walking up from the working directory.
const modulePath = "module github.com/apuri-project/apuri\n"

// Validate reports whether reportJSON is one apuri.report/v1 object as the schema describes it;
// the error names every place that is not.
func Validate(reportJSON []byte) error {
	s, err := schema()
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(reportJSON))
	if err != nil {
		return fmt.Errorf("report is not JSON: %w", err)
	}
	if err := s.Validate(doc); err != nil {
		return fmt.Errorf("report breaks %s: %w", SchemaFile, err)
	}
	return nil
}

// schema compiles the schema once per test binary.
var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	path, err := SchemaPath()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open the report schema: %w", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	c := jsonschema.NewCompiler()
	// Formats such as date-time are only annotations in draft 2020-12 unless asserted.
	c.AssertFormat()
	if err := c.AddResource(path, doc); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	s, err := c.Compile(path)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", path, err)
	}
	return s, nil
})

// SchemaPath finds docs/report.schema.json from the working directory, which for `go test` is
// the directory of the package under test, somewhere inside the module.
func SchemaPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the module root: %w", err)
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(mod), modulePath) {
			return filepath.Join(dir, filepath.FromSlash(SchemaFile)), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find the module root: no go.mod of github.com/apuri-project/apuri above the working directory")
		}
		dir = parent
	}
}
