package diagnostics

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"strings"
	"time"
)

// On Linux the password's expiry lives in /etc/shadow, which only root and the shadow group
// read. `chage -l` is the sanctioned way for users to see their own line: Debian and Ubuntu
// install it set-group-ID shadow for that. Accounts from a directory (SSSD, Active Directory,
// FreeIPA) are not in /etc/shadow; their policy sits in SSSD's cache, readable only by root, and
// the server's warning reaches the user only at the login prompt. What an ordinary user can read
// of them is the Kerberos ticket that the sign-in left in the credential cache: when it runs
// out, single sign-on to internal services stops.
type linuxPassword struct {
	chage  func(ctx context.Context, name string) (string, error) // the output of `chage -l name`
	ccache string                                                 // the credential cache's file; "" when none can be read
	now    time.Time
}

func systemPasswordState(ctx context.Context) (PasswordState, error) {
	return linuxPassword{chage: runChage, ccache: ccachePath(os.Getenv("KRB5CCNAME"), os.Getuid()), now: time.Now()}.state(ctx)
}

func (l linuxPassword) state(ctx context.Context) (PasswordState, error) {
	var st PasswordState
	var errs []error
	if u, err := user.Current(); err != nil {
		errs = append(errs, err)
	} else if out, err := l.chage(ctx, u.Username); err != nil {
		errs = append(errs, fmt.Errorf("chage: %w", err))
	} else if st, err = parseChage(out, l.now); err != nil {
		errs = append(errs, err)
	}
	if l.ccache != "" {
		if end, err := ticketExpiry(l.ccache); errors.Is(err, fs.ErrNotExist) {
			// No Kerberos sign-in: nothing to say.
		} else if err != nil {
			errs = append(errs, fmt.Errorf("credential cache: %w", err))
		} else {
			st.TicketExpires = end
		}
	}
	return st, errors.Join(errs...)
}

// chageTimeout bounds chage, which reads a local file.
const chageTimeout = 3 * time.Second

// runChage runs `chage -l NAME` in the C locale, whose labels and dates do not change with the
// user's language. It is not run through a shell.
func runChage(ctx context.Context, name string) (string, error) {
	path, err := exec.LookPath("chage")
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, chageTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-l", name)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	return string(out), err
}

// chageDate is how chage writes a date in the C locale.
const chageDate = "Jan 02, 2006"

// parseChage reads `chage -l` in the C locale:
//
//	Last password change                                    : Nov 20, 2026
//	Password expires                                        : Feb 18, 2027
//	Password inactive                                       : never
//	Account expires                                         : never
//
// "password must be changed" in the first two means the password has expired. A password past
// its inactive date, or an account past its expiry date, no longer signs in: that is a locked
// account as far as the user can tell.
func parseChage(out string, now time.Time) (PasswordState, error) {
	st := PasswordState{Source: PasswordSourceChage}
	fields := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if label, value, ok := strings.Cut(sc.Text(), ":"); ok {
			fields[strings.TrimSpace(label)] = strings.TrimSpace(value)
		}
	}
	expires, ok := fields["Password expires"]
	if !ok {
		return PasswordState{}, errors.New("chage did not say when the password expires")
	}
	past := func(label string) bool {
		d, err := time.ParseInLocation(chageDate, fields[label], now.Location())
		return err == nil && !d.After(now)
	}
	switch {
	case expires == "never":
		st.Never = true
	case expires == "password must be changed" || fields["Last password change"] == "password must be changed":
		st.Expired = true
	default:
		d, err := time.ParseInLocation(chageDate, expires, now.Location())
		if err != nil {
			return PasswordState{}, fmt.Errorf("chage's expiry date %q: %w", expires, err)
		}
		st.Expires = d
	}
	st.Locked = past("Password inactive") || past("Account expires")
	return st, nil
}
