package support

import (
	"os"
	"os/user"
	"strings"
)

// OSIdentity reads who is logged in and the computer's name, for redaction and for the
// contact name of a request. Missing facts stay empty.
func OSIdentity() Identity {
	var id Identity
	if u, err := user.Current(); err == nil {
		id.Login = u.Username
		// Windows gives DOMAIN\login; the login alone is what appears in paths.
		if i := strings.LastIndexByte(id.Login, '\\'); i >= 0 {
			id.Login = id.Login[i+1:]
		}
		// GECOS may hold "Matti Meikäläinen,Room 12,…": the name is the first field.
		id.RealName, _, _ = strings.Cut(u.Name, ",")
		id.RealName = strings.TrimSpace(id.RealName)
		id.Home = u.HomeDir
	}
	if id.Home == "" {
		id.Home, _ = os.UserHomeDir()
	}
	id.Hostname, _ = os.Hostname()
	return id
}
