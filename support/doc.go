// Package support turns a diagnosis into a support request and gets it to the organisation's
// user support (docs/architecture.md): the draft the user edits, the redacted diagnostics bundle, the
// channels (service portal, e-mail, webhook, Request Tracker), the keyring that holds their
// secrets, and the outbox that keeps a request until it is delivered, exactly once.
//
// Redaction decisions. Everything that leaves passes one Redactor per bundle. Removed: user
// names in paths, the login and real name, e-mail addresses, bearer/basic/token credentials
// and long opaque tokens, passwords and credentials in URLs and key=value pairs, JWTs,
// private-key blocks, MAC addresses and checksum-valid Finnish personal identity codes (all
// century signs, including those introduced in 2023). IP addresses and host names become
// pseudonyms (ip-1, ipv6-1, host-1) that are stable within one bundle, so support can still
// see that two failures concern the same server. Kept as they are: the host names, addresses
// and support e-mail the organisation profile names (they describe the organisation's own
// services, which support must recognise, and are no one's personal data), Apuri's check IDs
// and translation keys, loopback, link-local and multicast addresses, and netmasks.
//
// Never lost. A request is written to the outbox (atomically, whole) before the first attempt;
// each attempt is recorded before it starts, so one cut short by a crash is known; the server
// sees the request's reference as an Idempotency-Key (webhook) or in the ticket subject (RT,
// searched before any retry), so a retry never files a second ticket.
package support
