package redact

// Kinds of redaction, as the MANIFEST counts them and the preview names them (translation key
// "window.request.redact."+kind).
const (
	KindPrivateKey   = "private_key"       // PEM and OpenSSH private-key blocks
	KindJWT          = "jwt"               // JSON web tokens
	KindURLCreds     = "url_credentials"   // user:password@ in URLs
	KindToken        = "token"             // Authorization headers, bearer, basic and prefixed tokens, keys
	KindCookie       = "cookie"            // every cookie's value in Cookie and Set-Cookie headers
	KindSecret       = "secret"            // passwords and keys by their name: key=value, flags, JSON fields, URL queries
	KindEmail        = "email"             // e-mail addresses
	KindPersonalID   = "personal_id"       // Finnish personal identity codes (checksum-valid)
	KindPhone        = "phone"             // telephone numbers
	KindIBAN         = "iban"              // bank account numbers (checksum-valid)
	KindUserName     = "user_name"         // the user's login and real name; user names in commands
	KindUserPath     = "user_path"         // user names in home-directory and share paths
	KindMAC          = "mac"               // hardware addresses
	KindSSID         = "ssid"              // Wi-Fi network names
	KindIP           = "ip"                // IP addresses → ip-N / ipv6-N, or [ip]
	KindHost         = "host"              // host names → host-N
	KindOrganisation = "organisation_rule" // the organisation's own patterns (profile [privacy])
)

// Kinds lists every kind, in the order the MANIFEST lists them: a block or a token is named
// before the pieces of it (an e-mail, a host name) that could otherwise be seen on their own.
var Kinds = []string{
	KindPrivateKey, KindJWT, KindURLCreds, KindToken, KindCookie, KindSecret, KindEmail,
	KindPersonalID, KindPhone, KindIBAN, KindUserName, KindUserPath, KindMAC, KindSSID, KindIP,
	KindHost, KindOrganisation,
}

// Markers are what the detectors write in place of what they remove; pseudonyms (host-1,
// ip-1, ipv6-1, [email-1]) are markers too. None is ever redacted again.
var markers = []string{"[private-key]", "[jwt]", "[user]", "[password]", "[token]", "[secret]",
	"[personal-id]", "[phone]", "[iban]", "[mac]", "[ssid]", "[ip]", "[redacted]"}
