package diagnostics

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jcmturner/gokrb5/v8/credentials"
)

// ccachePath is the file of the user's Kerberos credential cache: KRB5CCNAME's FILE: cache or
// its DIR: collection's primary one, or MIT Kerberos' default /tmp/krb5cc_UID when KRB5CCNAME is
// not set. "" for the caches that are not files: KEYRING: (the kernel's keyring) and KCM: (SSSD's
// credential manager, Fedora's default) are reached through the Kerberos library, which Apuri,
// built without cgo, does not link; a default_ccache_name in krb5.conf is not followed either.
func ccachePath(env string, uid int) string {
	typ, rest, ok := strings.Cut(env, ":")
	if !ok || len(typ) == 1 { // no type, or a Windows drive letter
		typ, rest = "FILE", env
	}
	switch {
	case env == "":
		return "/tmp/krb5cc_" + strconv.Itoa(uid)
	case typ == "FILE":
		return rest
	case typ == "DIR":
		if strings.HasPrefix(rest, ":") { // DIR::/path names one file of the collection
			return rest[1:]
		}
		primary, err := os.ReadFile(filepath.Join(rest, "primary"))
		if err != nil {
			return ""
		}
		return filepath.Join(rest, filepath.Base(strings.TrimSpace(string(primary))))
	}
	return ""
}

// maxCCacheBytes bounds the credential cache read: a user's holds a handful of tickets of a
// few kilobytes each.
const maxCCacheBytes = 1 << 20

// ticketExpiry reads when the ticket-granting ticket in the credential cache runs out: the
// ticket for krbtgt/REALM of the cache's own principal's realm. Service tickets are left aside:
// they end with it or before it.
func ticketExpiry(path string) (end time.Time, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return time.Time{}, err
	}
	if fi.Size() > maxCCacheBytes || !fi.Mode().IsRegular() {
		return time.Time{}, fmt.Errorf("%s is not a credential cache of a plausible size", path)
	}
	// Another user may have put a file at /tmp's default name first: only the user's own counts.
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return time.Time{}, fmt.Errorf("%s belongs to another user", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return time.Time{}, err
	}
	if err := checkCCache(b); err != nil {
		return time.Time{}, err
	}
	// The parser slices by the file's lengths without checking them: with no room past the end
	// of the data, a cache cut short while being rewritten panics instead of reading zeros, and
	// the panic becomes an error, not a crash.
	b = b[:len(b):len(b)]
	defer func() {
		if p := recover(); p != nil {
			end, err = time.Time{}, fmt.Errorf("the credential cache is damaged: %v", p)
		}
	}()
	if len(b) < 2 {
		return time.Time{}, errors.New("the credential cache is empty")
	}
	var cc credentials.CCache
	if err := cc.Unmarshal(b); err != nil {
		return time.Time{}, err
	}
	realm := cc.GetClientRealm()
	for _, c := range cc.GetEntries() {
		names := c.Server.PrincipalName.NameString
		if len(names) == 2 && names[0] == "krbtgt" && names[1] == realm {
			return c.EndTime, nil
		}
	}
	return time.Time{}, errors.New("the credential cache holds no ticket-granting ticket")
}

// checkCCache walks a version 3 or 4 credential cache and checks that every length and count
// in it fits the file. The parser allocates by the counts it reads: a damaged count would ask
// for gigabytes, which is a crash no recover catches.
func checkCCache(b []byte) error {
	bad := errors.New("the credential cache is damaged or of an old version")
	p := 0
	take := func(n int) bool {
		if n < 0 || n > len(b)-p {
			return false
		}
		p += n
		return true
	}
	u16 := func() (int, bool) {
		if p+2 > len(b) {
			return 0, false
		}
		v := int(b[p])<<8 | int(b[p+1])
		p += 2
		return v, true
	}
	u32 := func() (int, bool) {
		if p+4 > len(b) {
			return 0, false
		}
		v := int(b[p])<<24 | int(b[p+1])<<16 | int(b[p+2])<<8 | int(b[p+3])
		p += 4
		return v, true
	}
	data := func() bool { n, ok := u32(); return ok && take(n) }
	principal := func() bool {
		n, ok := u32() // the name type
		if ok {
			n, ok = u32()
		}
		if !ok || !data() || n > len(b) {
			return false
		}
		for range n {
			if !data() {
				return false
			}
		}
		return true
	}
	// Each of a credential's lists: a count, then per entry a 16-bit type and its data.
	list := func() bool {
		n, ok := u32()
		if !ok || n > len(b) {
			return false
		}
		for range n {
			if _, ok := u16(); !ok || !data() {
				return false
			}
		}
		return true
	}
	if len(b) < 2 || b[0] != 5 || (b[1] != 3 && b[1] != 4) {
		return bad
	}
	v3 := b[1] == 3
	p = 2
	if !v3 {
		if n, ok := u16(); !ok || !take(n) {
			return bad
		}
	}
	if !principal() {
		return bad
	}
	for p < len(b) {
		client, server := principal(), principal()
		_, keyType := u16()
		if v3 { // version 3 writes the key's type twice
			_, keyType = u16()
		}
		if !client || !server || !keyType || !data() || !take(4*4+1+4) || !list() || !list() || !data() || !data() {
			return bad
		}
	}
	return nil
}
