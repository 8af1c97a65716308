//go:build unix

package agent

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

func checkPrivateDir(dir string) error { return verifyPrivateDir(dir, os.Getuid()) }

// verifyPrivateDir accepts dir only as a real directory that uid owns and no one else may
// enter; one of uid's own that others could enter is made private first. The checks after
// the first look are made on the open directory itself, so it cannot be swapped between them.
func verifyPrivateDir(dir string, uid int) error {
	if err := isRealDir(dir); err != nil {
		return err
	}
	f, err := os.OpenFile(dir, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_DIRECTORY, 0)
	if err != nil {
		return newProblem(KeySocketDir, "path", dir, "error", err.Error())
	}
	defer f.Close()
	owner, perm, err := ownerAndMode(f)
	if err != nil {
		return newProblem(KeySocketDir, "path", dir, "error", err.Error())
	}
	if owner != uid {
		return newProblem(KeySocketDirOwner, "path", dir, "uid", owner)
	}
	if perm != 0o700 {
		if err := f.Chmod(0o700); err != nil {
			return newProblem(KeySocketDir, "path", dir, "error", err.Error())
		}
		if _, perm, err = ownerAndMode(f); err != nil || perm != 0o700 {
			return newProblem(KeySocketDir, "path", dir, "error", "its mode stays "+perm.String())
		}
	}
	return nil
}

// ownerAndMode reads the owner and permissions of an open file.
func ownerAndMode(f *os.File) (int, os.FileMode, error) {
	info, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, syscall.ENOTSUP
	}
	return int(st.Uid), info.Mode().Perm(), nil
}
