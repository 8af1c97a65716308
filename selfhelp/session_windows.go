package selfhelp

import (
	"fmt"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	advapi32                  = windows.NewLazySystemDLL("advapi32.dll")
	procInitiateShutdownW     = advapi32.NewProc("InitiateShutdownW")
	procAdjustTokenPrivileges = advapi32.NewProc("AdjustTokenPrivileges")
)

// shutdownRestart is InitiateShutdownW's SHUTDOWN_RESTART. Without SHUTDOWN_FORCE_OTHERS a
// program with unsaved work may still ask the user, as the Start menu's restart lets it.
const shutdownRestart = 0x4

// plannedReason tells the event log, and whoever reads it, that the user chose this restart:
// SHTDN_REASON_MAJOR_OTHER | SHTDN_REASON_MINOR_OTHER | SHTDN_REASON_FLAG_PLANNED.
const plannedReason = windows.SHTDN_REASON_MAJOR_OTHER | windows.SHTDN_REASON_MINOR_OTHER | windows.SHTDN_REASON_FLAG_PLANNED

func nativeSession() SessionAPI { return winSession{} }

// winSession restarts and signs out through the Windows API, without a shutdown.exe between.
type winSession struct{}

// Restart restarts at once: Apuri's own confirmation and countdown came first, so the grace
// period is 0.
func (winSession) Restart() error {
	if err := procInitiateShutdownW.Find(); err != nil {
		return fmt.Errorf("InitiateShutdownW: %w", windows.ERROR_CALL_NOT_IMPLEMENTED)
	}
	if err := enableShutdownPrivilege(); err != nil {
		return err
	}
	r, _, _ := procInitiateShutdownW.Call(0, 0, 0, shutdownRestart, uintptr(plannedReason))
	if r != 0 {
		return fmt.Errorf("InitiateShutdownW: %w", syscall.Errno(r))
	}
	return nil
}

// SignOut ends the user's own session; it needs no privilege.
func (winSession) SignOut() error {
	if err := windows.ExitWindowsEx(windows.EWX_LOGOFF, plannedReason); err != nil {
		return fmt.Errorf("ExitWindowsEx: %w", err)
	}
	return nil
}

// enableShutdownPrivilege turns on SeShutdownPrivilege in this process's token. A user whom the
// organisation's policy denies the right does not have it to turn on: AdjustTokenPrivileges
// then succeeds but says ERROR_NOT_ALL_ASSIGNED, which x/sys/windows's wrapper drops, so the
// call is made here.
func enableShutdownPrivilege() error {
	var token windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_ADJUST_PRIVILEGES|windows.TOKEN_QUERY, &token); err != nil {
		return fmt.Errorf("open the process token: %w", err)
	}
	defer token.Close()
	privs := windows.Tokenprivileges{PrivilegeCount: 1}
	privs.Privileges[0].Attributes = windows.SE_PRIVILEGE_ENABLED
	name, err := windows.UTF16PtrFromString("SeShutdownPrivilege")
	if err != nil {
		return err
	}
	if err := windows.LookupPrivilegeValue(nil, name, &privs.Privileges[0].Luid); err != nil {
		return fmt.Errorf("look up SeShutdownPrivilege: %w", err)
	}
	r, _, e := procAdjustTokenPrivileges.Call(uintptr(token), 0, uintptr(unsafe.Pointer(&privs)), 0, 0, 0)
	if r == 0 {
		return fmt.Errorf("enable SeShutdownPrivilege: %w", e)
	}
	if e == windows.ERROR_NOT_ALL_ASSIGNED {
		return fmt.Errorf("enable SeShutdownPrivilege: %w", windows.ERROR_NOT_ALL_ASSIGNED)
	}
	return nil
}
