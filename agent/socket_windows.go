package agent

import (
	"fmt"
	"os"
)

// checkPrivateDir: on Windows the directory lives in the user's own profile, whose access
// list already keeps other users out.
func checkPrivateDir(dir string) error {
	info, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("check %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}
