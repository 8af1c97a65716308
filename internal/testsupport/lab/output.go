//go:build linux

package lab

import (
	"bytes"
	"sync"
)

// maxLog bounds what the lab keeps of a chatty process's output (dnsmasq logs every query).
const maxLog = 64 << 10

// OutputBuffer collects a process's output while a test reads it. With Max set it keeps only the
// last Max bytes, so a chatty process cannot grow it without limit.
type OutputBuffer struct {
	Max int
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *OutputBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Max > 0 && b.buf.Len()+len(p) > b.Max {
		keep := b.buf.Bytes()[max(0, b.buf.Len()+len(p)-b.Max):]
		keep = append([]byte(nil), keep...)
		b.buf.Reset()
		b.buf.Write(keep)
	}
	return b.buf.Write(p)
}

func (b *OutputBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
