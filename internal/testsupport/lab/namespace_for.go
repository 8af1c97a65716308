package lab

import "testing"

// EmptyNamespaceFor is NewNamespace for one test: it fails the test when the namespace cannot
// be made and deletes it when the test ends.
func EmptyNamespaceFor(t testing.TB, role string) string {
	t.Helper()
	ns, remove, err := NewNamespace(role)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := remove(); err != nil {
			t.Errorf("remove namespace: %v", err)
		}
	})
	return ns
}
