//go:build linux

package lab

import (
	"context"
	"crypto/sha1"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
)

// The registry keys the Wine lab writes: the places where Windows itself keeps the settings
// apuri.exe reads, so the Windows code meets them as it would on a real computer.
const (
	internetSettingsKey = `HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet Settings`
	machineRootKey      = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\ROOT\Certificates`
	// WindowsUpdateRebootKey exists while Windows Update waits for a restart.
	WindowsUpdateRebootKey = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired`
)

// QueueReg has text, in the format regedit exports ("[-KEY]" deletes a key and "NAME"=- a
// value), imported into the prefix's registry with Wine's own reg.exe at the start of the next
// Run, in that run's own Wine session: starting a session of its own for each edit would cost
// as much as the run. Edits are imported in the order they were queued.
func (w *Wine) QueueReg(text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pendingReg = append(w.pendingReg, text)
}

// importPending imports the queued edits in ns. The caller holds w.mu.
func (w *Wine) importPending(ctx context.Context, ns string) error {
	if len(w.pendingReg) == 0 {
		return nil
	}
	text := strings.Join(w.pendingReg, "\n")
	w.pendingReg = nil
	f, err := os.CreateTemp(w.dir, "import-*.reg")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	body := "Windows Registry Editor Version 5.00\r\n\r\n" + strings.ReplaceAll(text, "\n", "\r\n")
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	out, err := w.run(ctx, ns, nil, "wine", "reg", "import", windowsPath(f.Name()))
	if err != nil {
		return fmt.Errorf("wine reg import: %w (%s%s)\n%s", err, out.stdout, out.stderr, text)
	}
	return nil
}

// InternetOptions are the current user's proxy settings in Internet Options, which Edge and
// every program that asks WinHTTP or WinINet follow.
type InternetOptions struct {
	AutoDetect    bool   // "Automatically detect settings" (WPAD)
	AutoConfigURL string // "Use setup script"
	Proxy         string // "Use a proxy server": host:port
	Bypass        string // its exceptions, ";"-separated, "<local>" for plain host names
}

// The flags of DefaultConnectionSettings.
const (
	connDirect     = 0x1
	connProxy      = 0x2
	connScript     = 0x4
	connAutoDetect = 0x8
)

// SetInternetOptions writes o as Windows writes Internet Options: the binary
// Connections\DefaultConnectionSettings, which WinHTTP reads (Wine's WinHTTP reads nothing
// else), and the ProxyEnable, ProxyServer, ProxyOverride and AutoConfigURL values beside it.
// Like every edit, it takes effect at the next Run (QueueReg); undo queues their removal.
func (w *Wine) SetInternetOptions(o InternetOptions) (undo func()) {
	flags := uint32(connDirect)
	enable := 0
	if o.Proxy != "" {
		flags |= connProxy
		enable = 1
	}
	if o.AutoConfigURL != "" {
		flags |= connScript
	}
	if o.AutoDetect {
		flags |= connAutoDetect
	}
	// The header (version, a counter of changes, the flags), then the proxy, its exceptions and
	// the script's address, each a length and its bytes, then fields Windows keeps zero here.
	blob := binary.LittleEndian.AppendUint32(nil, 0x46)
	blob = binary.LittleEndian.AppendUint32(blob, 1)
	blob = binary.LittleEndian.AppendUint32(blob, flags)
	for _, s := range []string{o.Proxy, o.Bypass, o.AutoConfigURL} {
		blob = binary.LittleEndian.AppendUint32(blob, uint32(len(s)))
		blob = append(blob, s...)
	}
	blob = append(blob, make([]byte, 32)...)
	set := fmt.Sprintf("[%s]\n\"ProxyEnable\"=dword:%08x\n\"ProxyServer\"=%s\n\"ProxyOverride\"=%s\n\"AutoConfigURL\"=%s\n\n[%s\\Connections]\n\"DefaultConnectionSettings\"=%s\n",
		internetSettingsKey, enable, regString(o.Proxy), regString(o.Bypass), regString(o.AutoConfigURL),
		internetSettingsKey, regBinary(blob))
	w.QueueReg(set)
	return func() {
		w.QueueReg(fmt.Sprintf(
			"[%s]\n\"ProxyEnable\"=-\n\"ProxyServer\"=-\n\"ProxyOverride\"=-\n\"AutoConfigURL\"=-\n\n[%s\\Connections]\n\"DefaultConnectionSettings\"=-\n",
			internetSettingsKey, internetSettingsKey))
	}
}

// TrustRoot adds cert to the machine's trusted root authorities (the ROOT store in
// HKEY_LOCAL_MACHINE, where Windows keeps it and where an administrator's deployment puts an
// organisation's CA), which Go's certificate verification asks through CryptoAPI on Windows.
// It takes effect at the next Run (QueueReg); undo queues taking it out again.
func (w *Wine) TrustRoot(cert *x509.Certificate) (undo func()) {
	key := fmt.Sprintf(`%s\%X`, machineRootKey, sha1.Sum(cert.Raw))
	// A serialized certificate: the property CERT_CERT_PROP_ID (32), a reserved 1, the length,
	// then the DER.
	blob := binary.LittleEndian.AppendUint32(nil, 32)
	blob = binary.LittleEndian.AppendUint32(blob, 1)
	blob = binary.LittleEndian.AppendUint32(blob, uint32(len(cert.Raw)))
	blob = append(blob, cert.Raw...)
	w.QueueReg(fmt.Sprintf("[%s]\n\"Blob\"=%s\n", key, regBinary(blob)))
	return func() { w.QueueReg("[-" + key + "]\n") }
}

// regString is a REG_SZ value in a .reg file.
func regString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// regBinary is a REG_BINARY value in a .reg file, continued over lines as regedit writes it.
func regBinary(b []byte) string {
	var sb strings.Builder
	sb.WriteString("hex:")
	for i, c := range b {
		if i > 0 {
			sb.WriteString(",")
			if i%24 == 0 {
				sb.WriteString("\\\n  ")
			}
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}
