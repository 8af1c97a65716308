//go:build windows

package netproxy

import (
	"context"
	"unsafe"

	"golang.org/x/sys/windows"
)

// WinHTTP reads Internet Options (the settings of Edge and every WinINET program) and runs
// scripts with Windows' own engine, so a PAC or WPAD answer is the one the browser gets.
var (
	winhttp                            = windows.NewLazySystemDLL("winhttp.dll")
	procWinHttpGetIEProxyConfigForUser = winhttp.NewProc("WinHttpGetIEProxyConfigForCurrentUser")
	procWinHttpOpen                    = winhttp.NewProc("WinHttpOpen")
	procWinHttpGetProxyForUrl          = winhttp.NewProc("WinHttpGetProxyForUrl")
	procWinHttpCloseHandle             = winhttp.NewProc("WinHttpCloseHandle")
	procGlobalFree                     = windows.NewLazySystemDLL("kernel32.dll").NewProc("GlobalFree")
)

// WinHTTP's structures and constants (winhttp.h).
type winhttpCurrentUserIEProxyConfig struct {
	autoDetect    int32
	autoConfigURL *uint16
	proxy         *uint16
	proxyBypass   *uint16
}

type winhttpAutoProxyOptions struct {
	flags                 uint32
	autoDetectFlags       uint32
	autoConfigURL         *uint16
	reserved              uintptr
	reserved2             uint32
	autoLogonIfChallenged int32
}

type winhttpProxyInfo struct {
	accessType  uint32
	proxy       *uint16
	proxyBypass *uint16
}

const (
	winhttpAccessTypeNoProxy   = 1
	winhttpAutoproxyAutoDetect = 0x1
	winhttpAutoproxyConfigURL  = 0x2
	winhttpAutoDetectTypeDHCP  = 0x1
	winhttpAutoDetectTypeDNSA  = 0x2
)

// takeString copies a string WinHTTP allocated and frees it.
func takeString(p *uint16) string {
	if p == nil {
		return ""
	}
	s := windows.UTF16PtrToString(p)
	procGlobalFree.Call(uintptr(unsafe.Pointer(p)))
	return s
}

// desktopConfig reads the current user's Internet Options.
func desktopConfig(context.Context, func(string) string) Config {
	if procWinHttpGetIEProxyConfigForUser.Find() != nil {
		return Config{From: SourceNone}
	}
	var ie winhttpCurrentUserIEProxyConfig
	ok, _, _ := procWinHttpGetIEProxyConfigForUser.Call(uintptr(unsafe.Pointer(&ie)))
	if ok == 0 {
		return Config{From: SourceNone}
	}
	return winIEConfig{
		AutoDetect: ie.autoDetect != 0,
		AutoConfig: takeString(ie.autoConfigURL),
		Proxy:      takeString(ie.proxy),
		Bypass:     takeString(ie.proxyBypass),
	}.configOf()
}

// systemPAC asks Windows' own engine for the proxy of one address, by the configured script or
// by WPAD (DHCP and DNS). It blocks while Windows discovers; the caller's deadline bounds the
// check, not this call, so it runs beside and is abandoned when the context ends.
func systemPAC(ctx context.Context, c Config, target string) (string, bool) {
	type result struct {
		answer string
		ok     bool
	}
	done := make(chan result, 1)
	go func() {
		a, ok := winProxyForURL(c, target)
		done <- result{a, ok}
	}()
	select {
	case r := <-done:
		return r.answer, r.ok
	case <-ctx.Done():
		return "", false
	}
}

func winProxyForURL(c Config, target string) (string, bool) {
	if procWinHttpOpen.Find() != nil || procWinHttpGetProxyForUrl.Find() != nil {
		return "", false
	}
	agent, _ := windows.UTF16PtrFromString("Apuri")
	session, _, _ := procWinHttpOpen.Call(uintptr(unsafe.Pointer(agent)), winhttpAccessTypeNoProxy, 0, 0, 0)
	if session == 0 {
		return "", false
	}
	defer procWinHttpCloseHandle.Call(session)
	opts := winhttpAutoProxyOptions{autoLogonIfChallenged: 1}
	if c.PACURL != "" {
		opts.flags = winhttpAutoproxyConfigURL
		opts.autoConfigURL, _ = windows.UTF16PtrFromString(c.PACURL)
	} else {
		opts.flags = winhttpAutoproxyAutoDetect
		opts.autoDetectFlags = winhttpAutoDetectTypeDHCP | winhttpAutoDetectTypeDNSA
	}
	u, err := windows.UTF16PtrFromString(target)
	if err != nil {
		return "", false
	}
	var info winhttpProxyInfo
	ok, _, _ := procWinHttpGetProxyForUrl.Call(session, uintptr(unsafe.Pointer(u)),
		uintptr(unsafe.Pointer(&opts)), uintptr(unsafe.Pointer(&info)))
	if ok == 0 {
		return "", false
	}
	list := takeString(info.proxy)
	takeString(info.proxyBypass)
	return winProxyAnswer(info.accessType == winhttpAccessTypeNoProxy, list), true
}
