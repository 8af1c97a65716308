// Package krbcache writes Kerberos credential caches for tests, in the file format MIT Kerberos
// writes (version 4, big-endian): a test gets a user's tickets without a KDC.
package krbcache

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Ticket is one credential of the cache: a ticket for Server ("krbtgt", "REALM" for the
// ticket-granting ticket; "HTTP", "host" for a service), valid from Start to End.
type Ticket struct {
	Server     []string
	Start, End time.Time
}

// TGT is the ticket-granting ticket of realm.
func TGT(realm string, start, end time.Time) Ticket {
	return Ticket{Server: []string{"krbtgt", realm}, Start: start, End: end}
}

// Flags are the ticket flags every ticket here carries: forwardable, renewable, initial,
// pre-authenticated, as a password sign-in gives them. Tests find a ticket's end after them.
var Flags = []byte{0x50, 0xe1, 0, 0}

type writer struct{ bytes.Buffer }

func (w *writer) u16(v uint16) { binary.Write(&w.Buffer, binary.BigEndian, v) }
func (w *writer) u32(v uint32) { binary.Write(&w.Buffer, binary.BigEndian, v) }
func (w *writer) data(b []byte) {
	w.u32(uint32(len(b)))
	w.Write(b)
}

func (w *writer) principal(realm string, names ...string) {
	w.u32(1) // KRB5_NT_PRINCIPAL
	w.u32(uint32(len(names)))
	w.data([]byte(realm))
	for _, n := range names {
		w.data([]byte(n))
	}
}

// Bytes is the cache of user@realm holding the tickets, each issued in realm.
func Bytes(realm, user string, tickets ...Ticket) []byte {
	var w writer
	w.Write([]byte{5, 4}) // file format version 4
	w.u16(12)             // the header's length: one tag of 8 bytes, with its tag and length
	w.u16(1)              // FCC_TAG_DELTATIME: the KDC's clock offset, none
	w.u16(8)
	w.u32(0)
	w.u32(0)
	w.principal(realm, user)
	for _, t := range tickets {
		w.principal(realm, user)
		w.principal(realm, t.Server...)
		w.u16(18) // aes256-cts-hmac-sha1-96
		w.data(bytes.Repeat([]byte{7}, 32))
		for _, at := range []time.Time{t.Start, t.Start, t.End, t.End.Add(6 * 24 * time.Hour)} { // auth, start, end, renew till
			w.u32(uint32(at.Unix()))
		}
		w.WriteByte(0) // not a session-key ticket
		w.Write(Flags)
		w.u32(0)                       // no addresses
		w.u32(0)                       // no authorisation data
		w.data([]byte("ticket bytes")) // the ticket itself, opaque here
		w.data(nil)                    // no second ticket
	}
	return w.Bytes()
}
