package redact

import (
	"strings"
	"unicode"
)

// How much a key's name says about its value.
type keyClass int

const (
	keyPlain  keyClass = iota
	keyWeak            // sig, code, key: a secret when the value looks like one, or in a URL's query
	keyStrong          // password, token, api_key: a secret whatever the value looks like
)

// strongSuffixes end the names of keys whose values are secrets, however the name is joined
// ("dbPassword", "DB_PASSWORD", "x-amz-security-token"). In Finnish, Swedish and German too.
var strongSuffixes = []string{"password", "passwd", "passphrase", "passwort", "kennwort", "salasana",
	"tunnussana", "lösenord", "losenord", "wachtwoord", "motdepasse", "contraseña", "secret",
	"token", "apikey", "credential", "credentials", "sessionid", "sessid", "sessionkey", "privatekey",
	"accesskey", "secretkey", "clientsecret", "accountkey", "cookie", "psk", "authorization",
	"storepass", "keypass"}

// strongWords are short names that count only as a word of their own ("DB_PASS", "pw", but
// not "bypass" or "compass").
var strongWords = map[string]bool{"pass": true, "pw": true, "pwd": true, "pword": true, "passwd": true,
	"otp": true, "sas": true}

// keyQualifiers make a key of a "key": "api key", "SharedAccessKey", "client_key".
var keyQualifiers = map[string]bool{"api": true, "access": true, "secret": true, "private": true,
	"account": true, "shared": true, "sas": true, "signing": true, "client": true, "master": true,
	"auth": true, "encryption": true, "subscription": true, "storage": true, "license": true,
	"app": true, "consumer": true, "session": true, "primary": true, "secondary": true, "admin": true,
	"service": true, "webhook": true, "hmac": true}

// weakWords are names that hold a secret in a URL's query, and elsewhere only when the value
// looks like one ("code: dns_failure" is Apuri's own code; "code=4/0AX4Xf…" is not).
var weakWords = map[string]bool{"key": true, "sig": true, "signature": true, "code": true, "auth": true,
	"ticket": true, "pin": true, "samlresponse": true, "samlrequest": true}

// classifyKey judges a key by its name.
func classifyKey(name string) keyClass {
	words := keyWords(name)
	if len(words) == 0 {
		return keyPlain
	}
	joined := strings.Join(words, "")
	last := words[len(words)-1]
	for _, s := range strongSuffixes {
		if strings.HasSuffix(joined, s) {
			return keyStrong
		}
	}
	if strongWords[last] {
		return keyStrong
	}
	if last == "key" && len(words) > 1 && keyQualifiers[words[len(words)-2]] {
		return keyStrong
	}
	if strings.HasSuffix(joined, "signature") || weakWords[last] || weakWords[joined] {
		return keyWeak
	}
	return keyPlain
}

// keyWords splits a key's name into lower-case words at punctuation and camel case:
// "X-Amz-Signature" → x amz signature; "dbPassword" → db password; "SAMLResponse" → saml response.
func keyWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	runes := []rune(name)
	for i, c := range runes {
		switch {
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			flush()
			continue
		case unicode.IsUpper(c) && len(cur) > 0:
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, c)
	}
	flush()
	return words
}

// looksSecret says whether the value of a weak key is a secret: long, and no word or code.
func looksSecret(v string) bool {
	if len(v) < 8 || strings.ContainsAny(v, " .") {
		return false
	}
	var upper, lower, digit bool
	for _, c := range v {
		switch {
		case unicode.IsUpper(c):
			upper = true
		case unicode.IsLower(c):
			lower = true
		case unicode.IsDigit(c):
			digit = true
		}
	}
	return digit && (upper || lower) || upper && lower || len(v) >= 20
}

// fieldKind says what a structured field (a JSON key, a URL query key) names by its own name:
// the Wi-Fi network, a hardware address, a computer, a user or an IP address; "" for none.
func fieldKind(name string) string {
	joined := strings.Join(keyWords(name), "")
	switch {
	case joined == "":
		return ""
	case macFields[joined] || strings.HasSuffix(joined, "mac") || strings.HasSuffix(joined, "bssid"):
		return KindMAC
	case ssidFields[joined] || strings.HasSuffix(joined, "ssid"):
		return KindSSID
	case hostFields[joined]:
		return KindHost
	case userFields[joined]:
		return KindUserName
	case ipFields[joined]:
		return KindIP
	}
	return ""
}

var (
	macFields = map[string]bool{"macaddress": true, "macaddr": true, "hwaddr": true, "hwaddress": true,
		"hardwareaddr": true, "hardwareaddress": true, "lladdr": true, "macaddresses": true}
	ssidFields = map[string]bool{"wifi": true, "wlan": true, "wlanname": true, "wifiname": true,
		"networkname": true, "ssidname": true, "wifinetwork": true}
	hostFields = map[string]bool{"hostname": true, "host": true, "hosts": true, "tlshost": true, "computername": true,
		"machinename": true, "servername": true, "fqdn": true, "devicename": true}
	userFields = map[string]bool{"user": true, "username": true, "login": true, "loginname": true,
		"account": true, "accountname": true, "owner": true, "realname": true, "fullname": true,
		"displayname": true, "userid": true, "käyttäjä": true, "käyttäjätunnus": true, "kayttaja": true,
		"användare": true, "användarnamn": true, "benutzer": true, "benutzername": true}
	ipFields = map[string]bool{"ip": true, "clientip": true, "userip": true, "uip": true, "ipaddress": true,
		"ipaddr": true, "remoteaddr": true, "clientaddr": true}
)
