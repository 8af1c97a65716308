package diagnostics

import (
	"context"
	"errors"
	"unsafe"

	"golang.org/x/sys/windows"
)

// systemClientCerts reads the user's personal certificate store (Current User\Personal, "MY"),
// where Windows keeps the certificates for VPN, Wi-Fi and smart card sign-in; it needs no
// administrator rights. Those for client authentication or smart card logon count.
func systemClientCerts(context.Context) ([]ClientCert, error) {
	name, err := windows.UTF16PtrFromString("MY")
	if err != nil {
		return nil, err
	}
	store, err := windows.CertOpenSystemStore(0, name)
	if err != nil {
		return nil, err
	}
	defer windows.CertCloseStore(store, 0)
	var ders [][]byte
	var ctx *windows.CertContext
	for {
		ctx, err = windows.CertEnumCertificatesInStore(store, ctx)
		if err != nil {
			break // CRYPT_E_NOT_FOUND: no more certificates (the context is freed by the call)
		}
		ders = append(ders, append([]byte(nil), unsafe.Slice(ctx.EncodedCert, ctx.Length)...))
	}
	if !errors.Is(err, windows.Errno(windows.CRYPT_E_NOT_FOUND)) {
		return storeClientCerts(ders), err
	}
	return storeClientCerts(ders), nil
}
