// Package support turns a diagnosis into a support request and gets it to the organisation's
// user support (docs/architecture.md): the draft the user edits, the redacted diagnostics bundle, the
// channels (service portal, e-mail, webhook, Request Tracker), the keyring that holds their
// secrets, and the outbox that keeps a request until it is delivered, exactly once.
//
// Redaction decisions. Everything that leaves passes one Redactor per bundle (package
// support/redact, which reads what it redacts: URLs by their parts, headers whole, key=value
// pairs, command lines and JSON fields by their keys). Removed: passwords, keys and tokens
// under any of their names, cookies, credentials in URLs, JWTs, private keys, e-mail
// addresses, checksum-valid Finnish personal identity codes (all century signs, including
// those introduced in 2023) and IBANs, phone numbers, MAC addresses, Wi-Fi names, the login
// and real name, user names in paths, and what the organisation's [privacy] patterns match.
// IP addresses and host names become pseudonyms (ip-1, ipv6-1, host-1) that are stable within
// one bundle, so support can still see that two failures concern the same server (or, as the
// profile asks, IP addresses are dropped). Kept as they are: the host names, addresses,
// support e-mail and phone the organisation profile names (they describe the organisation's
// own services, which support must recognise, and are no one's personal data), Apuri's check
// IDs and translation keys, paths, versions, fingerprints, file names and code identifiers,
// loopback, link-local and multicast addresses, and netmasks.
//
// Never lost. A request is written to the outbox (atomically, whole) before the first attempt;
// each attempt is recorded before it starts, so one cut short by a crash is known; the server
// sees the request's reference as an Idempotency-Key (webhook) or in the ticket subject (RT,
// searched before any retry), so a retry never files a second ticket.
package support
