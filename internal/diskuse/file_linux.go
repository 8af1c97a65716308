package diskuse

import "syscall"

// readAndChanged are when the file was last read and when its inode last changed.
func readAndChanged(st *syscall.Stat_t) []syscall.Timespec {
	return []syscall.Timespec{st.Atim, st.Ctim}
}
