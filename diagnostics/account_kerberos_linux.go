package diagnostics

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	b, err := os.ReadFile(path)
	if err != nil {
		return time.Time{}, err
	}
	// The parser indexes the file's lengths without checking them: a cache cut short while
	// being rewritten must be an error, not a crash.
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
