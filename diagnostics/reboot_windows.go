package diagnostics

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sys/windows/registry"
)

// The registry places where Windows records a restart it is waiting for. Reading them needs no
// administrator rights.
const (
	cbsRebootKey      = `SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending`
	wuRebootKey       = `SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired`
	sessionManagerKey = `SYSTEM\CurrentControlSet\Control\Session Manager`
	fileRenameValue   = "PendingFileRenameOperations"
)

func systemRebootPending(context.Context) (RebootState, error) {
	var st RebootState
	found := func(source string, since time.Time) {
		st.Pending = true
		st.Sources = append(st.Sources, source)
		if !since.IsZero() && (st.Since.IsZero() || since.Before(st.Since)) {
			st.Since = since
		}
	}
	read := 0
	// The two flags are keys that exist only while a restart is pending; their last write is
	// when it was asked for.
	for _, k := range []struct{ path, source string }{
		{cbsRebootKey, RebootSourceComponentService},
		{wuRebootKey, RebootSourceWindowsUpdate},
	} {
		key, err := registry.OpenKey(registry.LOCAL_MACHINE, k.path, registry.QUERY_VALUE)
		if errors.Is(err, registry.ErrNotExist) {
			read++
			continue
		}
		if err != nil {
			continue
		}
		read++
		var since time.Time
		if info, err := key.Stat(); err == nil {
			since = info.ModTime()
		}
		key.Close()
		found(k.source, since)
	}
	// Files that were in use when an installer replaced them are swapped at the next start.
	if key, err := registry.OpenKey(registry.LOCAL_MACHINE, sessionManagerKey, registry.QUERY_VALUE); err == nil {
		read++
		if ops, _, err := key.GetStringsValue(fileRenameValue); err == nil && len(ops) > 0 {
			found(RebootSourceFileRename, time.Time{})
		}
		key.Close()
	}
	if read == 0 {
		return st, errors.New("the registry could not be read")
	}
	return st, nil
}
