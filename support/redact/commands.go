package redact

import (
	"regexp"
	"strings"
)

// reCommand finds commands that take a password or a user name by a short option or by
// position: -p after mysql is a password (after ssh it is a port, so ssh is not here).
var reCommand = regexp.MustCompile(`(?i)(?:^|[\s;&|("'\x60/\\])(mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|sshpass|sqlcmd|bcp|osql|isql|ldapsearch|ldapadd|ldapmodify|ldapdelete|ldapwhoami|ldappasswd|redis-cli|smbclient|rpcclient|smbmap|psexec|psexec64|xfreerdp|wlfreerdp|sdl-freerdp|rdesktop|curl|wget|docker|podman|nmcli|wpa_passphrase|net|htpasswd|openconnect|convertto-securestring)(?:\.exe)?(?:[ \t]|$)`)

// commandRule says what the options and words of one command hold.
type commandRule struct {
	password map[string]bool // options followed by a password (-p, -P, -w)
	attached map[string]bool // options with the password glued on (-pSecret)
	user     map[string]bool // options followed by a user name
	userPass map[string]bool // options followed by user:password or user%password
	colon    map[string]bool // /p:secret, /u:user
}

func options(items ...string) map[string]bool {
	m := map[string]bool{}
	for _, i := range items {
		m[i] = true
	}
	return m
}

var (
	mysqlRule = commandRule{attached: options("-p"), user: options("-u", "--user")}
	rules     = map[string]commandRule{
		"mysql": mysqlRule, "mysqldump": mysqlRule, "mysqladmin": mysqlRule, "mariadb": mysqlRule, "mariadb-dump": mysqlRule,
		"sshpass":    {password: options("-p")},
		"sqlcmd":     {password: options("-P"), attached: options("-P"), user: options("-U")},
		"bcp":        {password: options("-P"), attached: options("-P"), user: options("-U")},
		"osql":       {password: options("-P"), attached: options("-P"), user: options("-U")},
		"isql":       {password: options("-P"), attached: options("-P"), user: options("-U")},
		"ldapsearch": {password: options("-w"), user: options("-D")}, "ldapadd": {password: options("-w"), user: options("-D")},
		"ldapmodify": {password: options("-w"), user: options("-D")}, "ldapdelete": {password: options("-w"), user: options("-D")},
		"ldapwhoami": {password: options("-w"), user: options("-D")}, "ldappasswd": {password: options("-w", "-s"), user: options("-D")},
		"redis-cli": {password: options("-a")},
		"smbclient": {userPass: options("-U", "--user")}, "rpcclient": {userPass: options("-U", "--user")},
		"smbmap": {password: options("-p"), user: options("-u")},
		"psexec": {password: options("-p"), user: options("-u")}, "psexec64": {password: options("-p"), user: options("-u")},
		"xfreerdp": {colon: options("/p", "/u", "/pth")}, "wlfreerdp": {colon: options("/p", "/u", "/pth")},
		"sdl-freerdp": {colon: options("/p", "/u", "/pth")},
		"rdesktop":    {password: options("-p"), user: options("-u")},
		"curl":        {userPass: options("-u", "--user", "-U", "--proxy-user"), attached: options("-u")},
		"wget":        {user: options("--user", "--http-user", "--ftp-user", "--proxy-user")},
		"docker":      {password: options("-p"), user: options("-u", "--username")},
		"podman":      {password: options("-p"), user: options("-u", "--username")},
		"openconnect": {user: options("-u", "--user")},
	}
)

// commandHints are what reCommand's commands contain; a text without any is not searched.
var commandHints = []string{"mysql", "mariadb", "sshpass", "sqlcmd", "bcp", "osql", "isql", "ldap", "redis-cli",
	"smbclient", "rpcclient", "smbmap", "psexec", "freerdp", "rdesktop", "curl", "wget", "docker", "podman",
	"nmcli", "wpa_passphrase", "net use", "htpasswd", "openconnect", "convertto-securestring"}

// detectCommands reads the command lines of known commands word by word.
func detectCommands(sc *scan) {
	hinted := false
	for _, h := range commandHints {
		if sc.has(h) {
			hinted = true
			break
		}
	}
	if !hinted {
		return
	}
	for _, m := range reCommand.FindAllStringSubmatchIndex(sc.text, -1) {
		name := strings.ToLower(sc.text[m[2]:m[3]])
		words := commandTokens(sc.text, m[3])
		switch name {
		case "net":
			sc.netUse(words)
		case "nmcli":
			sc.nmcli(words)
		case "wpa_passphrase":
			if len(words) >= 2 {
				sc.ssid(words[0])
				sc.secret(words[1])
			}
		case "htpasswd":
			sc.htpasswd(words)
		case "docker", "podman":
			if len(words) > 0 && words[0].text == "login" { // elsewhere -p publishes a port
				sc.applyRule(rules[name], words)
			}
		case "convertto-securestring":
			for _, w := range words {
				if !strings.HasPrefix(w.text, "-") {
					sc.secret(w)
					break
				}
			}
		default:
			sc.applyRule(rules[name], words)
		}
	}
}

func (sc *scan) applyRule(rule commandRule, words []token) {
	for i, w := range words {
		next := func() (token, bool) {
			if i+1 < len(words) && (!strings.HasPrefix(words[i+1].text, "-") || len(words[i+1].text) == 1) {
				return words[i+1], words[i+1].text != "-"
			}
			return token{}, false
		}
		flag := w.text
		switch {
		case rule.password[flag]:
			if v, ok := next(); ok {
				sc.secret(v)
			}
		case rule.user[flag]:
			if v, ok := next(); ok {
				sc.user(v)
			}
		case rule.userPass[flag]:
			if v, ok := next(); ok {
				sc.userPassword(v)
			}
		case len(flag) > 2 && rule.attached[flag[:2]] && !strings.HasPrefix(flag, "--"):
			v := token{w.start + 2, w.end, flag[2:]}
			if rule.userPass[flag[:2]] {
				sc.userPassword(v)
			} else {
				sc.secret(v)
			}
		default:
			if name, value, ok := strings.Cut(flag, ":"); ok && rule.colon[strings.ToLower(name)] && value != "" {
				v := token{w.start + len(name) + 1, w.end, value}
				if strings.EqualFold(name, "/u") {
					sc.user(v)
				} else {
					sc.secret(v)
				}
			}
		}
	}
}

// netUse reads `net use [X:] \\server\share [password | *] [/user:[domain\]name]`.
func (sc *scan) netUse(words []token) {
	if len(words) == 0 || !strings.EqualFold(words[0].text, "use") {
		return
	}
	sawShare := false
	for _, w := range words[1:] {
		lower := strings.ToLower(w.text)
		switch {
		case strings.HasPrefix(lower, "/user:") || strings.HasPrefix(lower, "/u:"):
			_, name, _ := strings.Cut(w.text, ":")
			sc.user(token{w.end - len(name), w.end, name})
		case strings.HasPrefix(w.text, "/"), w.text == "*":
		case strings.HasPrefix(w.text, `\\`):
			sawShare = true
		case len(w.text) == 2 && w.text[1] == ':' && !sawShare: // the drive letter
		case sawShare:
			sc.secret(w)
		}
	}
}

// nmcli reads `nmcli dev wifi connect SSID password PW` and `… wifi-sec.psk PW`.
func (sc *scan) nmcli(words []token) {
	for i := 0; i+1 < len(words); i++ {
		switch strings.ToLower(words[i].text) {
		case "password", "wifi-sec.psk", "802-1x.password", "wifi-sec.wep-key0":
			sc.secret(words[i+1])
		case "connect", "ssid", "802-11-wireless.ssid":
			if i > 0 && strings.EqualFold(words[i-1].text, "connection") {
				continue // "nmcli connection up NAME" names a profile, "connect" a network
			}
			sc.ssid(words[i+1])
		}
	}
}

// htpasswd -b FILE USER PASSWORD takes the password on the command line.
func (sc *scan) htpasswd(words []token) {
	batch := false
	var positional []token
	for _, w := range words {
		if strings.HasPrefix(w.text, "-") {
			batch = batch || strings.Contains(w.text, "b")
			continue
		}
		positional = append(positional, w)
	}
	if batch && len(positional) >= 3 {
		sc.user(positional[1])
		sc.secret(positional[2])
	}
}

func (sc *scan) secret(w token) {
	if w.start < w.end && !onlyMarkers(w.text) {
		sc.replace(w.start, w.end, KindSecret, "[secret]")
	}
}

func (sc *scan) ssid(w token) {
	if w.start < w.end && !onlyMarkers(w.text) {
		sc.replace(w.start, w.end, KindSSID, "[ssid]")
	}
}

func (sc *scan) user(w token) {
	if w.start < w.end && !onlyMarkers(w.text) && !systemUser(w.text) {
		sc.replace(w.start, w.end, KindUserName, "[user]")
	}
}

// userPassword replaces "user:password" and samba's "user%password".
func (sc *scan) userPassword(w token) {
	if w.start >= w.end || onlyMarkers(w.text) {
		return
	}
	sep := strings.IndexAny(w.text, ":%")
	if sep < 0 {
		sc.user(w)
		return
	}
	sc.claim(w.start, w.end, "", func(string) (string, bool) {
		sc.r.counts[KindSecret]++
		if systemUser(w.text[:sep]) {
			return w.text[:sep+1] + "[password]", true
		}
		sc.r.counts[KindUserName]++
		return "[user]" + w.text[sep:sep+1] + "[password]", true
	})
}
