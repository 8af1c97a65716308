package agent

import "os"

// checkPrivateDir: on Windows the directory lives in the user's own profile, whose access
// list already keeps other users out; a link in its place is refused all the same.
func checkPrivateDir(dir string) error {
	info, err := os.Lstat(dir)
	switch {
	case err != nil:
		return newProblem(KeySocketDir, "path", dir, "error", err.Error())
	case info.Mode()&os.ModeSymlink != 0:
		return newProblem(KeySocketDirLink, "path", dir)
	case !info.IsDir():
		return newProblem(KeySocketDirNotDir, "path", dir)
	}
	return nil
}
