package diagnostics

import (
	"context"
	"errors"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// netapi32's calls that x/sys/windows does not wrap.
var (
	modNetapi32          = windows.NewLazySystemDLL("netapi32.dll")
	procNetUserModalsGet = modNetapi32.NewProc("NetUserModalsGet")
	procNetGetDCName     = modNetapi32.NewProc("NetGetDCName")
)

// timeqForever is USER_MODALS_INFO_0's maximum age when passwords never expire.
const timeqForever = 0xFFFFFFFF

// userInfo1 is USER_INFO_1 (lmaccess.h).
type userInfo1 struct {
	Name        *uint16
	Password    *uint16
	PasswordAge uint32 // seconds since the password was last changed
	Priv        uint32
	HomeDir     *uint16
	Comment     *uint16
	Flags       uint32
	ScriptPath  *uint16
}

// userModalsInfo0 is USER_MODALS_INFO_0 (lmaccess.h).
type userModalsInfo0 struct {
	MinPasswdLen    uint32
	MaxPasswdAge    uint32 // seconds, or timeqForever
	MinPasswdAge    uint32
	ForceLogoff     uint32
	PasswordHistLen uint32
}

func systemPasswordState(context.Context) (PasswordState, error) {
	return netapiPasswordState(netapi32{}, time.Now())
}

// netapi32 is netUserAPI through the real DLL.
type netapi32 struct{}

func (netapi32) account() (domain, user string, local bool, err error) {
	n := uint32(256)
	buf := make([]uint16, n)
	if err := windows.GetUserNameEx(windows.NameSamCompatible, &buf[0], &n); err != nil {
		return "", "", false, err
	}
	domain, user, ok := strings.Cut(windows.UTF16ToString(buf), `\`)
	if !ok {
		return "", "", false, errors.New("the user's name has no domain")
	}
	computer, err := windows.ComputerName()
	if err != nil {
		return "", "", false, err
	}
	return domain, user, strings.EqualFold(domain, computer), nil
}

func (netapi32) domainController(domain string) (string, error) {
	d, err := windows.UTF16PtrFromString(domain)
	if err != nil {
		return "", err
	}
	var buf *uint16
	if r, _, _ := procNetGetDCName.Call(0, uintptr(unsafe.Pointer(d)), uintptr(unsafe.Pointer(&buf))); r != 0 {
		return "", windows.Errno(r)
	}
	defer windows.NetApiBufferFree((*byte)(unsafe.Pointer(buf)))
	return windows.UTF16PtrToString(buf), nil
}

// serverPtr is a server's name for netapi32: nil for this computer.
func serverPtr(server string) (*uint16, error) {
	if server == "" {
		return nil, nil
	}
	return windows.UTF16PtrFromString(server)
}

func (netapi32) userInfo(server, user string) (time.Duration, uint32, error) {
	s, err := serverPtr(server)
	if err != nil {
		return 0, 0, err
	}
	u, err := windows.UTF16PtrFromString(user)
	if err != nil {
		return 0, 0, err
	}
	var buf *byte
	if err := windows.NetUserGetInfo(s, u, 1, &buf); err != nil {
		return 0, 0, err
	}
	defer windows.NetApiBufferFree(buf)
	info := (*userInfo1)(unsafe.Pointer(buf))
	return time.Duration(info.PasswordAge) * time.Second, info.Flags, nil
}

func (netapi32) maxPasswordAge(server string) (time.Duration, bool, error) {
	s, err := serverPtr(server)
	if err != nil {
		return 0, false, err
	}
	var buf *byte
	if r, _, _ := procNetUserModalsGet.Call(uintptr(unsafe.Pointer(s)), 0, uintptr(unsafe.Pointer(&buf))); r != 0 {
		return 0, false, windows.Errno(r)
	}
	defer windows.NetApiBufferFree(buf)
	info := (*userModalsInfo0)(unsafe.Pointer(buf))
	if info.MaxPasswdAge == timeqForever {
		return 0, true, nil
	}
	return time.Duration(info.MaxPasswdAge) * time.Second, false, nil
}
