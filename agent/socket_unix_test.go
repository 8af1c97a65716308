//go:build unix

package agent

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// problemKey is the translation key of err's Problem, or "" if it has none.
func problemKey(err error) string {
	var p *Problem
	if errors.As(err, &p) {
		return p.Key
	}
	return ""
}

// Without XDG_RUNTIME_DIR the socket's folder is in the shared temporary directory: it is
// made 0700, and whatever someone else prepared in its place is refused by name.
func TestSocketDirectoryCannotBePrepared(t *testing.T) {
	t.Run("made private when missing", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "apuri-1000")
		if err := ensurePrivateDir(dir); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Lstat(dir); err != nil || !info.IsDir() || info.Mode().Perm() != 0o700 {
			t.Errorf("made %v, %v", info.Mode(), err)
		}
	})
	t.Run("own folder open to others is closed", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "apuri-1000")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := ensurePrivateDir(dir); err != nil {
			t.Fatal(err)
		}
		if info, _ := os.Lstat(dir); info.Mode().Perm() != 0o700 {
			t.Errorf("mode %v, want 0700", info.Mode().Perm())
		}
	})
	t.Run("a link to someone's folder is refused", func(t *testing.T) {
		base := t.TempDir()
		target := filepath.Join(base, "theirs")
		if err := os.Mkdir(target, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(target, 0o777); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(base, "apuri-1000")
		if err := os.Symlink(target, dir); err != nil {
			t.Fatal(err)
		}
		if err := ensurePrivateDir(dir); problemKey(err) != KeySocketDirLink {
			t.Fatalf("a symbolic link was accepted or refused for the wrong reason: %v", err)
		}
		if info, _ := os.Stat(target); info.Mode().Perm() != 0o777 {
			t.Error("the link's target was changed")
		}
		if _, _, err := AcquireContext(t.Context(), filepath.Join(dir, SocketName)); problemKey(err) != KeySocketDirLink {
			t.Errorf("Acquire through a link: %v", err)
		}
	})
	t.Run("a file is refused", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "apuri-1000")
		if err := os.WriteFile(dir, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := ensurePrivateDir(dir); problemKey(err) != KeySocketDirNotDir {
			t.Errorf("a file was accepted or refused for the wrong reason: %v", err)
		}
	})
	t.Run("another user's folder is refused", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "apuri-1000")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		// Seen as the user with the next uid, this folder is someone else's.
		err := verifyPrivateDir(dir, os.Getuid()+1)
		var p *Problem
		if !errors.As(err, &p) || p.Key != KeySocketDirOwner || p.Args["uid"] != os.Getuid() {
			t.Fatalf("another user's folder: %v", err)
		}
		if p.English == "" || p.English == p.Key {
			t.Errorf("the problem has no text: %+v", p)
		}
	})
	t.Run("another user's folder is refused for real", func(t *testing.T) {
		if os.Getuid() != 0 {
			t.Skip("only root can give a folder to another user")
		}
		dir := filepath.Join(t.TempDir(), "apuri-1000")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		if err := ensurePrivateDir(dir); problemKey(err) != KeySocketDirOwner {
			t.Errorf("a folder of uid 65534 was accepted or refused for the wrong reason: %v", err)
		}
	})
}
