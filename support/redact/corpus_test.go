package redact

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// leak is a line carrying secrets or personal data, as a log, a report or a user's own text
// holds it: every secret must be gone, and kind must have counted it.
type leak struct {
	lang    string
	kind    string
	text    string
	secrets []string
}

// corpusOptions are the options of an organisation as the bundle would pass them: its own
// hosts and support contacts kept, two patterns of its own.
func corpusOptions() Options {
	return Options{
		Identity: Identity{Login: "mmeikalainen", RealName: "Matti Meikäläinen", Home: "/home/mmeikalainen", Hostname: "matti-laptop"},
		Keep: []string{"intra.valtori.fi", "top.valtori.fi", "*.valtori.fi", "tokka.example.fi", "support@valtori.fi",
			"0295 000 000", "10.99.0.53", "service.intranet", "network.dns", "vpn.internal"},
		Patterns: []*regexp.Regexp{regexp.MustCompile(`EMP-[0-9]{6}`), regexp.MustCompile(`asiakasnumero:? ([0-9]+)`)},
	}
}

const (
	pemRSA = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----"
	pemSSH = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\n-----END OPENSSH PRIVATE KEY-----`
	jwt    = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtbWVpa2FsYWluZW4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)

var leaks = []leak{
	// Passwords and keys by their name, in many spellings; the value ends only at white space
	// or a quote.
	{"en", KindSecret, "connecting with password=Hunter2,Spring! now", []string{"Hunter2", "Spring!"}},
	{"fi", KindSecret, "yhteys: pass=Kesä2024;varmuus", []string{"Kesä2024", "varmuus"}},
	{"en", KindSecret, "retry pw=tR0ub4dor&3 later", []string{"tR0ub4dor", "&3"}},
	{"en", KindSecret, "export DB_PASS='p4ss w0rd'", []string{"p4ss w0rd"}},
	{"fi", KindSecret, "salasana: Lumi&Jää-88", []string{"Lumi&Jää-88"}},
	{"sv", KindSecret, "lösenord=Sommar#2023 används", []string{"Sommar#2023"}},
	{"en", KindSecret, "Passwort: Geheim,123", []string{"Geheim,123"}},
	{"en", KindSecret, `passwd = "Ab,c;d&e"`, []string{"Ab,c;d&e"}},
	{"en", KindSecret, `body {"user":"x","password": 123456789, "n": 1}`, []string{"123456789"}},
	{"en", KindSecret, `log {"otp": ["4711", "0815"], "ok": true}`, []string{"4711", "0815"}},
	{"en", KindSecret, `msg="{\"user\":\"x\",\"password\":\"Escaped-Secret\"}"`, []string{"Escaped-Secret"}},
	{"en", KindSecret, "client_secret=9f8e7d6c5b4a&grant_type=x", []string{"9f8e7d6c5b4a"}},
	{"en", KindSecret, "api_key: 7Hq2Lm9Xz4", []string{"7Hq2Lm9Xz4"}},
	{"en", KindSecret, "set PGPASSWORD=Pg_Secret_1", []string{"Pg_Secret_1"}},
	{"en", KindSecret, `$env:DB_PASSWORD = "Ps-Secret-2"`, []string{"Ps-Secret-2"}},
	{"en", KindSecret, "access_token=ya29.A0ARrdaM-secret expires_in=3599", []string{"ya29.A0ARrdaM-secret"}},
	{"en", KindSecret, "refresh_token: 1//0gLrefresh-secret", []string{"0gLrefresh-secret"}},
	{"en", KindSecret, "JSESSIONID=abcd1234efgh5678", []string{"abcd1234efgh5678"}},
	{"en", KindSecret, "<config><password>XmlSecret9</password></config>", []string{"XmlSecret9"}},
	{"en", KindSecret, "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;EndpointSuffix=core.windows.net", []string{"Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA=="}},
	{"en", KindSecret, "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=Sb+Key/Secret123=", []string{"Sb+Key/Secret123="}},
	{"fi", KindSecret, "wlan psk=SalainenWlan1 tallennettu", []string{"SalainenWlan1"}},
	{"fi", KindSecret, "Käyttäjän salasana=Talvi2025! vaihdettu", []string{"Talvi2025!"}},
	{"sv", KindSecret, "Användarens lösenord: Vinter2025 byttes", []string{"Vinter2025"}},
	{"en", KindSecret, "ldap bind_password: 'Bind Me 42'", []string{"Bind Me 42"}},
	{"en", KindSecret, "smtp.auth.password=Mail-Secret-3", []string{"Mail-Secret-3"}},
	{"en", KindSecret, "proxyPassword=Proxy-Secret-4", []string{"Proxy-Secret-4"}},
	{"sv", KindSecret, "wifi: lösenord = \"Kaffe och bulle 7\"", []string{"Kaffe och bulle 7"}},

	// Command lines: options named as secrets anywhere, and the short options of login commands.
	{"en", KindSecret, "mysqldump --user=backup --password=Dump-Pass-77 db", []string{"Dump-Pass-77"}},
	{"en", KindSecret, "sshpass -p 'Ssh Pass 1' ssh admin@jump", []string{"Ssh Pass 1"}},
	{"en", KindSecret, "mysql -u svea -pMySql-Secret appdb", []string{"MySql-Secret", "svea"}},
	{"en", KindSecret, "sqlcmd -S db01 -U sa -P Sql-Secret-9 -Q \"select 1\"", []string{"Sql-Secret-9"}},
	{"en", KindSecret, `ldapsearch -x -D "cn=Svea Svensson,ou=People" -w Ldap-Secret -b dc=x`, []string{"Ldap-Secret", "Svea Svensson"}},
	{"en", KindSecret, "redis-cli -h cache -a Redis-Secret ping", []string{"Redis-Secret"}},
	{"en", KindSecret, "curl -u svea:Curl-Secret https://api.example.com/v1", []string{"Curl-Secret", "svea:"}},
	{"en", KindSecret, "curl --user olli:Curl-Pw2 -X POST https://x.example.se/api", []string{"Curl-Pw2", "olli"}},
	{"fi", KindSecret, `net use Z: \\fs01\home Net-Secret-1 /user:VIRASTO\svea`, []string{"Net-Secret-1", `VIRASTO\svea`}},
	{"sv", KindSecret, `net use * \\fs01\data /user:VIRASTO\olli Net-Secret-2`, []string{"Net-Secret-2", "olli"}},
	{"en", KindSecret, "xfreerdp /v:rdp01 /u:olli /p:Rdp-Secret-3 /cert:ignore", []string{"Rdp-Secret-3", "olli"}},
	{"en", KindSecret, "smbclient //fs01/share -U olli%Smb-Secret-4", []string{"Smb-Secret-4", "olli"}},
	{"en", KindSecret, "docker login -u olli -p Docker-Secret-5 registry.example.org", []string{"Docker-Secret-5"}},
	{"fi", KindSecret, `nmcli dev wifi connect "Kahvila Wifi" password Wlan-Secret-6`, []string{"Wlan-Secret-6", "Kahvila Wifi"}},
	{"sv", KindSecret, `wpa_passphrase "Stugans nät" Wpa-Secret-7`, []string{"Wpa-Secret-7", "Stugans nät"}},
	{"en", KindSecret, "keytool -list -keystore k.jks -storepass Store-Secret-8", []string{"Store-Secret-8"}},
	{"en", KindSecret, `$p = ConvertTo-SecureString "Ps-Secret-9" -AsPlainText -Force`, []string{"Ps-Secret-9"}},
	{"en", KindSecret, `psexec \\pc01 -u admin -p Psexec-Secret cmd`, []string{"Psexec-Secret"}},
	{"en", KindSecret, "java -jar app.jar --db.password Java-Secret-10 --port 8080", []string{"Java-Secret-10"}},
	{"en", KindSecret, "vpncli --token=Vpn-Token-11 connect", []string{"Vpn-Token-11"}},
	{"en", KindSecret, "wget --password=Wget-Secret-12 https://files.example.org/a", []string{"Wget-Secret-12"}},
	{"en", KindSecret, "runas.exe /user:admin cmd && tool /password:Win-Secret-13", []string{"Win-Secret-13"}},

	// Headers, whole.
	{"en", KindCookie, "Cookie: JSESSIONID=Abc123; theme=dark; auth=Cookie-Secret-2", []string{"Abc123", "Cookie-Secret-2", "dark"}},
	{"en", KindCookie, "< Set-Cookie: session=SetCookie-Secret; Path=/; HttpOnly; Secure", []string{"SetCookie-Secret"}},
	{"en", KindCookie, `-H "Cookie: a=First-Cookie; b=Second-Cookie" https://top.valtori.fi/`, []string{"First-Cookie", "Second-Cookie"}},
	{"en", KindToken, "Authorization: Basic bWF0dGk6c2FsYWluZW4=", []string{"bWF0dGk6c2FsYWluZW4="}},
	{"en", KindToken, "> Authorization: Bearer 0a1b2c3d4e5f6a7b8c9d", []string{"0a1b2c3d4e5f6a7b8c9d"}},
	{"en", KindToken, `Authorization: Digest username="svea", realm="intra", nonce="Nonce-Secret", response="6629fae49393a05397450978507c4ef1"`, []string{"Nonce-Secret", "6629fae49393a05397450978507c4ef1", "svea"}},
	{"en", KindToken, "Proxy-Authorization: NTLM TlRMTVNTUAABAAAAB4IIog==", []string{"TlRMTVNTUAABAAAAB4IIog=="}},
	{"en", KindToken, `curl -H "X-API-Key: Header-Key-Secret-11" https://api.example.org`, []string{"Header-Key-Secret-11"}},
	{"en", KindToken, `headers: {"Authorization": "token Rt-Token-12", "Accept": "*/*"}`, []string{"Rt-Token-12"}},
	{"en", KindToken, "Authorization: SSWS 00Okta-Token-13", []string{"00Okta-Token-13"}},
	{"en", KindToken, "proxy said Basic YWxhZGRpbjpvcGVuc2VzYW1l denied", []string{"YWxhZGRpbjpvcGVuc2VzYW1l"}},
	{"en", KindToken, "sent bearer aB3dE5fG7hJ9kL1mN3pQ upstream", []string{"aB3dE5fG7hJ9kL1mN3pQ"}},

	// URLs: parsed; query values judged by key and, decoded, by shape.
	{"en", KindSecret, "GET https://x.blob.core.windows.net/c/a.zip?sv=2022-11-02&ss=b&sig=Sas%2FSecret%2B14%3D", []string{"Sas%2FSecret", "Sas/Secret"}},
	{"en", KindSecret, "https://bucket.s3.eu-north-1.amazonaws.com/f?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240101&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
		[]string{"AKIAIOSFODNN7EXAMPLE", "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024"}},
	{"en", KindSecret, "https://maps.googleapis.com/maps/api/js?key=Maps-Key-Secret-15&q=x", []string{"Maps-Key-Secret-15"}},
	{"fi", KindSecret, "kirjautuminen: https://sso.valtori.fi/callback?code=Oauth-Code-16&state=xyz", []string{"Oauth-Code-16"}},
	{"fi", KindSecret, "https://intra.valtori.fi/login?auth=Auth-Param-17", []string{"Auth-Param-17"}},
	{"en", KindSecret, "redirected to https://app.example.com/#access_token=Frag-Token-18&token_type=Bearer", []string{"Frag-Token-18"}},
	{"en", KindURLCreds, "via http://proxyuser:Proxy-Pass-19@proxy.corp.local:8080/", []string{"Proxy-Pass-19", "proxyuser"}},
	{"en", KindURLCreds, "DATABASE_URL=postgres://app:Pg-Url-Secret-20@db.internal:5432/app", []string{"Pg-Url-Secret-20"}},
	{"fi", KindMAC, "kirjautumissivu http://portal.hotel.fi/login?client_mac=3c%3A22%3Afb%3A12%3A34%3A56&ssid=Hotel%20K%C3%A4mp%20Guest&ip=10.1.2.3",
		[]string{"3c%3A22%3Afb", "Hotel%20K", "10.1.2.3"}},
	{"en", KindMAC, "https://wifi.example.com/portal?mac=3C22FB123456&ap=AA-BB-CC-00-11-22", []string{"3C22FB123456", "AA-BB-CC-00-11-22"}},
	{"en", KindToken, "POST https://hooks.slack.com/services/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 failed", []string{"x7Hk2mP9qLw4Rt8Zs3Vn5Bc1"}},
	{"en", KindEmail, "https://files.example.com/share/olli.normi@valtori.fi/report.pdf", []string{"olli.normi@valtori.fi"}},
	{"fi", KindPersonalID, "https://intra.valtori.fi/henkilot/131052-308T/tiedot", []string{"131052-308T"}},
	{"en", KindUserPath, "file:///home/svea/Documents/loan.pdf", []string{"svea"}},
	{"sv", KindUserPath, "smb://fs01/users/olli/x.docx", []string{"olli"}},
	{"en", KindSecret, "https://example.com/redirect?next=https%3A%2F%2Fother.example.org%2F%3Ftoken%3DNested-Secret-21", []string{"Nested-Secret-21"}},
	{"en", KindSecret, "https://login.example.com/saml?SAMLResponse=PHNhbWxwOlJlc3BvbnNlIHhtbG5z", []string{"PHNhbWxwOlJlc3BvbnNlIHhtbG5z"}},
	{"fi", KindEmail, "haku https://intra.valtori.fi/search?q=olli.normi%40valtori.fi", []string{"olli.normi"}},
	{"en", KindSecret, "https://top.valtori.fi/api?password=Top-Pass-22", []string{"Top-Pass-22"}},
	{"en", KindHost, "opened http://intranet/wiki and https://printer01/status", []string{"intranet/", "printer01"}},

	// Tokens that announce themselves, and keys named by the word beside them.
	{"en", KindToken, "git push with ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", []string{"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}},
	{"en", KindToken, "oauth gho_16C7e42F292c6912E7710c838347Ae178B4a", []string{"gho_16C7e42F292c6912E7710c838347Ae178B4a"}},
	{"en", KindToken, "GitLab glpat-Abc123Def456Ghi789Jk rejected", []string{"glpat-Abc123Def456Ghi789Jk"}},
	{"en", KindToken, "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", []string{"xoxb-123456789012"}},
	{"en", KindToken, "aws configure: AKIAIOSFODNN7EXAMPLE", []string{"AKIAIOSFODNN7EXAMPLE"}},
	{"en", KindToken, "temporary ASIAY34FZKBOKMUTVV7A expired", []string{"ASIAY34FZKBOKMUTVV7A"}},
	{"en", KindToken, "maps AIzaSyA-1234567890abcdefghijklmnopqrstu", []string{"AIzaSyA-1234567890abcdefghijklmnopqrstu"}},
	{"en", KindToken, "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", []string{"sk_live_4eC39HqLyjWDarjtT1zdp7dc"}},
	{"en", KindToken, "npm npm_abcdefghijklmnopqrstuvwxyz0123456789", []string{"npm_abcdefghijklmnopqrstuvwxyz0123456789"}},
	{"en", KindToken, "api key 0123456789abcdef0123456789abcdef was rotated", []string{"0123456789abcdef0123456789abcdef"}},
	{"fi", KindToken, "lisenssiavain: license key 9b1e3c5d7f9a1b3c5d7f9a1b3c5d7f9a", []string{"9b1e3c5d7f9a1b3c5d7f9a1b3c5d7f9a"}},
	{"en", KindToken, "header was Zq8Xv2Lm9Np4Rt6Wy1Bc3Df5Gh7Jk0Ms in the dump", []string{"Zq8Xv2Lm9Np4Rt6Wy1Bc3Df5Gh7Jk0Ms"}},
	{"en", KindJWT, "id_token " + jwt, []string{"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "eyJzdWIiOiJtbWVpa2FsYWluZW4ifQ"}},
	{"en", KindPrivateKey, "key file:\n" + pemRSA + "\nend", []string{"MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"}},
	{"en", KindPrivateKey, `"key": "` + pemSSH + `"`, []string{"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB"}},

	// E-mail addresses, with Finnish and Swedish letters.
	{"fi", KindEmail, "Lähettäjä: pää.käyttäjä@virasto.fi", []string{"pää.käyttäjä@virasto.fi"}},
	{"sv", KindEmail, "Från: åsa.öberg@myndigheten.se", []string{"åsa.öberg@myndigheten.se"}},
	{"en", KindEmail, "cc svea+apuri@agency.example.fi, bcc jörg@müller.de", []string{"svea+apuri@agency.example.fi", "jörg@müller.de"}},
	{"fi", KindEmail, "viesti osoitteeseen MATTI.MEIKALAINEN@VALTORI.FI palautui", []string{"MATTI.MEIKALAINEN"}},

	// Personal identity codes, checksum-valid, also glued to letters.
	{"fi", KindPersonalID, "henkilötunnus 131052-308T", []string{"131052-308T"}},
	{"fi", KindPersonalID, "hetu:010594Y9021 tarkistettu", []string{"010594Y9021"}},
	{"fi", KindPersonalID, "asiakasID240377X5129x", []string{"240377X5129"}},
	{"sv", KindPersonalID, "personbeteckning 311299A1236.", []string{"311299A1236"}},
	{"en", KindPersonalID, "born 1845: 150445+7656", []string{"150445+7656"}},
	{"fi", KindPersonalID, "HETU=290200B001B", []string{"290200B001B"}},

	// Telephone numbers; the organisation's own stays.
	{"fi", KindPhone, "puh. +358 40 123 4567", []string{"123 4567"}},
	{"fi", KindPhone, "soita numeroon 040 123 4567 klo 9", []string{"040 123 4567"}},
	{"fi", KindPhone, "tekstiviesti 0401234567:een", []string{"0401234567"}},
	{"en", KindPhone, "call +358401234567 back", []string{"+358401234567"}},
	{"sv", KindPhone, "Ring 070-123 45 67 i dag", []string{"070-123 45 67"}},
	{"fi", KindPhone, "vaihde (09) 123 4567", []string{"123 4567"}},
	{"sv", KindPhone, "mobil +46 70 123 45 67", []string{"70 123 45 67"}},
	{"fi", KindPhone, "puhelin 050-1234567", []string{"050-1234567"}},

	// Bank accounts, checksum-valid.
	{"fi", KindIBAN, "tilinumero FI21 1234 5600 0007 85 OK", []string{"FI21 1234 5600 0007 85"}},
	{"fi", KindIBAN, "IBAN: FI2112345600000785", []string{"FI2112345600000785"}},
	{"sv", KindIBAN, "kontonummer SE45 5000 0000 0583 9825 7466", []string{"SE45 5000 0000 0583 9825 7466"}},
	{"en", KindIBAN, "account DE89 3704 0044 0532 0130 00", []string{"DE89 3704 0044 0532 0130 00"}},

	// Hardware addresses in every notation, and Wi-Fi names.
	{"en", KindMAC, "link/ether 3c:22:fb:12:34:56 brd ff:ff:ff:ff:ff:ff", []string{"3c:22:fb:12:34:56"}},
	{"fi", KindMAC, "Fyysinen osoite. . . . : 3C-22-FB-AB-CD-EF", []string{"3C-22-FB-AB-CD-EF"}},
	{"en", KindMAC, "switch port 3c22.fb12.3456 learned", []string{"3c22.fb12.3456"}},
	{"en", KindMAC, "MAC 3c22fb123457 roamed", []string{"3c22fb123457"}},
	{"en", KindMAC, "bssid=AA:BB:CC:DD:EE:01 signal=-60", []string{"AA:BB:CC:DD:EE:01"}},
	{"en", KindMAC, "logged GET /login?client_mac=3c%3a22%3afb%3a00%3a00%3a07", []string{"3c%3a22%3afb%3a00%3a00%3a07"}},
	{"en", KindSSID, "SSID: Hotel Kämp Guest", []string{"Hotel Kämp Guest"}},
	{"en", KindSSID, `wlan0  ESSID:"Koti-WLAN 5G"`, []string{"Koti-WLAN 5G"}},
	{"fi", KindSSID, "verkon nimi: Mökin netti", []string{"Mökin netti"}},
	{"sv", KindSSID, "nätverksnamn: Stugans nät", []string{"Stugans nät"}},

	// Host names: dotted under a real or an internal suffix, and single-label where they stand.
	{"en", KindHost, `open \\fileserver\share\x.docx`, []string{"fileserver"}},
	{"en", KindHost, "dial tcp: lookup fileserver on 127.0.0.53:53: no such host", []string{"fileserver"}},
	{"en", KindHost, "lookup printer01.corp: no such host", []string{"printer01"}},
	{"fi", KindHost, "tulostin matti-home.lan ei vastaa", []string{"matti-home"}},
	{"sv", KindHost, "skrivaren nas.localdomain svarar inte", []string{"nas.localdomain"}},
	{"en", KindHost, "dc01.ad.virasto.internal refused", []string{"dc01", "virasto"}},
	{"en", KindHost, "Host: intranet2", []string{"intranet2"}},
	{"en", KindHost, "proxy fileserver.agency.fi:3128", []string{"fileserver.agency.fi"}},
	{"en", KindHost, "this is matti-laptop speaking", []string{"matti-laptop"}},

	// User names in paths: UNC shares, spaces, ~user, percent-encoding.
	{"en", KindUserPath, `\\fs01\users\Svea Svensson\Documents\cv.docx`, []string{"Svea Svensson"}},
	{"en", KindUserPath, `\\fs01\olli$\x.txt`, []string{"olli$"}},
	{"sv", KindUserPath, `C:\Users\Svea Svensson\AppData\Local\Temp`, []string{"Svea Svensson"}},
	{"en", KindUserPath, "/home/svea.medelsvensson/x", []string{"svea.medelsvensson"}},
	{"en", KindUserPath, "cat ~olli/.ssh/config", []string{"olli"}},
	{"fi", KindUserPath, "/home/svea%20s%C3%B6derberg/x", []string{"svea%20s%C3%B6derberg"}},
	{"en", KindUserPath, "path=%2Fhome%2Folli.normi%2F.config", []string{"olli.normi"}},
	{"en", KindUserPath, "/Users/ollinormi/Library/Logs", []string{"ollinormi"}},
	{"en", KindUserPath, `"C:\\Users\\olli\\x"`, []string{"olli"}},
	{"en", KindUserPath, "/mnt/c/Users/olli/Desktop", []string{"olli"}},

	// The user's own identity, wherever it stands.
	{"fi", KindUserName, "Matti Meikäläinen (mmeikalainen) kirjautui", []string{"Matti", "Meikäläinen", "mmeikalainen"}},
	{"sv", KindUserName, "Meikäläinen loggade in", []string{"Meikäläinen"}},
	{"en", KindUserName, "open /home/mmeikalainen/.config/apuri", []string{"mmeikalainen"}},

	// IP addresses.
	{"en", KindIP, "gw 192.168.44.1 dns 192.168.44.1 and 10.0.0.7", []string{"192.168.44.1", "10.0.0.7"}},
	{"en", KindIP, "addr 2001:db8::42 via fe80::aa:bbff:fecc:ddee%wlan0", []string{"2001:db8::42", "fe80::aa:bbff:fecc:ddee"}},
	{"en", KindIP, "peer [2001:db8:1::77]:443 closed", []string{"2001:db8:1::77"}},

	// The organisation's own patterns.
	{"fi", KindOrganisation, "työntekijä EMP-123456 ilmoitti", []string{"EMP-123456"}},
	{"fi", KindOrganisation, "asiakasnumero: 998877 (vanha)", []string{"998877"}},
}

// kept are lines that must come out byte for byte: the organisation's own addresses, paths,
// versions, fingerprints, file names, code and ordinary sentences in Finnish, Swedish and English.
var kept = []string{
	"https://intra.valtori.fi/sites/tiimi/Jaetut%20asiakirjat/ohje.docx",
	"Kirjaudu sisään osoitteessa https://top.valtori.fi/api/v2/status?lang=fi.",
	"https://tokka.example.fi/portal/a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV/view",
	"service.intranet fail: https://intra.valtori.fi/ answered 503",
	"/usr/lib/x86_64-linux-gnu/libGL.so.1: cannot open shared object file",
	"terminate called after throwing an instance of 'std::string'",
	"std::vector<std::string> Token::Parse(const char*)",
	"SHA256 Fingerprint=AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
	"SHA1 fingerprint 3C:22:FB:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12",
	"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
	"request a3bb189e-8bf9-3888-9912-ace4e6543002 failed",
	"Apuri 1.4.2 (go1.22.5, linux/amd64)",
	"Firefox 128.0.3esr on Windows 10.0.19045.4291, kernel 6.1.0-18-amd64",
	"version 1.2.3 of the agent, build 2026.11.25",
	"go: downloading golang.org/x/net v0.61.0",
	"Lataa setup.cab ja report.zip uudelleen.",
	"Filen setup.cab saknas i apuri-diagnostics-20261125-100000.zip.",
	"main.go:42: fmt.Println(p.Support.Phone)",
	"github.com/apuri-project/apuri/support.(*Outbox).Flush(0xc000123456)",
	"x86_64-linux-gnu-gcc -O2 -c foo.c",
	"--- FAIL: TestRedactJSONKeepsCodesAndOrder (0.00s)",
	"network.dns ok, service.intranet fail, vpn.internal skip",
	"check.dns.fail advice.reconnect_network verdict.service_down",
	"Palvelu ei vastaa. Yritä hetken kuluttua uudelleen.",
	"Tjänsten svarar inte. Försök igen om en stund.",
	"The service does not answer. Try again in a moment.",
	"Salasana on vanhentunut: vaihda se palveluportaalissa.",
	"Lösenordet har gått ut. Byt det i tjänsteportalen.",
	"Your password has expired: change it in the portal.",
	"password: permission denied",
	"Token::Parse failed: token expired",
	"The --token flag is required.",
	"sudo: 3 incorrect password attempts",
	"openconnect --passwd-on-stdin vpn.valtori.fi",
	"token_type=Bearer expires_in=3600",
	"password_policy: min_length=12",
	"key: check.dns.fail",
	"code: dns_failure",
	"Basic connectivity works; basic auth is not used.",
	"Soita tukeen: 0295 000 000 (arkisin 8–16).",
	"Skriv till support@valtori.fi.",
	"Asiakaspalvelu vastaa arkisin 8–16.",
	"ping 127.0.0.1: 3 packets transmitted, 3 received, 0% packet loss",
	"netmask 255.255.255.0 broadcast 255.255.255.255",
	"no DHCP answer: self-assigned 169.254.12.7",
	"mDNS 224.0.0.251 and ff02::fb",
	"dns 10.99.0.53 answered in 8 ms",
	"MAC 00:00:00:00:00:00 is no address",
	"2026-11-25T09:58:00Z lost at 10:30:00",
	"HTTP/1.1 503 Service Unavailable",
	"Content-Type: application/json; charset=utf-8",
	"/var/log/syslog.1 and /etc/ssl/certs/ca-certificates.crt",
	`C:\Program Files\Apuri\apuri.exe`,
	`C:\Users\Public\Desktop`,
	"Näyttää siltä, että VPN-yhteys katkesi klo 9.58.",
	"Anslutningen till VPN bröts kl. 9.58.",
	"Service TOP is down (known disruption #42).",
	"errors: 0, warnings: 2",
	"interface wlan0 up, tun0 down",
	"reason=timeout cause=service_down checks=13 duration=812ms",
	"SELECT id FROM checks WHERE status = 'fail'",
	"Tietokone käynnistetty 14 päivää sitten; muistia vapaana 2,1 Gt.",
	"Datorn startades om för 14 dagar sedan.",
	"See https://github.com/apuri-project/apuri/issues/12 for details.",
	"localhost:8080 answered",
}

// TestCorpus is the proof: every secret of every leak is gone, the kind that removed it
// counted it, a second pass changes nothing, and every kept line comes out byte for byte.
func TestCorpus(t *testing.T) {
	cases := len(leaks) + len(kept)
	secrets := 0
	for _, l := range leaks {
		secrets += len(l.secrets)
	}
	fmt.Printf("redaction corpus: %d cases — %d lines with %d secrets, %d lines that must stay\n",
		cases, len(leaks), secrets, len(kept))
	if cases < 150 {
		t.Errorf("the corpus has %d cases; it must have at least 150", cases)
	}
	langs := map[string]int{}
	for _, l := range leaks {
		langs[l.lang]++
	}
	for _, lang := range []string{"fi", "sv", "en"} {
		if langs[lang] == 0 {
			t.Errorf("no %s case", lang)
		}
	}

	for _, l := range leaks {
		r := New(corpusOptions())
		out := r.String(l.text)
		for _, s := range l.secrets {
			if strings.Contains(strings.ToLower(out), strings.ToLower(s)) {
				t.Errorf("[%s] %q survived:\n in: %s\nout: %s", l.lang, s, l.text, out)
			}
		}
		if r.Counts()[l.kind] == 0 {
			t.Errorf("[%s] %s did not count it (%v):\n in: %s\nout: %s", l.lang, l.kind, r.Counts(), l.text, out)
		}
		if again := New(corpusOptions()).String(out); again != out {
			t.Errorf("a second pass changed it:\n in: %s\nout: %s\n 2nd: %s", l.text, out, again)
		}
	}
	for _, line := range kept {
		r := New(corpusOptions())
		if out := r.String(line); out != line {
			t.Errorf("damaged:\n in: %s\nout: %s (%v)", line, out, r.Counts())
		}
	}
	// Every kind is proven by at least one line.
	proven := map[string]bool{}
	for _, l := range leaks {
		proven[l.kind] = true
	}
	for _, k := range Kinds {
		if !proven[k] {
			t.Errorf("no corpus line proves %s", k)
		}
	}
}
