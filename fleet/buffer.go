package fleet

import (
	"context"
	"sync"

	sdklog "go.opentelemetry.io/otel/sdk/log"
)

// DefaultMaxBuffered bounds the records kept while the collector cannot be reached: a laptop
// offline for a week must not fill its memory, and the newest events say the most.
const DefaultMaxBuffered = 500

// buffer is the log exporter the SDK's batch processor hands records to. It keeps what could
// not be delivered, at most max records, dropping the oldest first and counting them, and
// sends what it keeps ahead of the new ones at the next export. The OTLP exporter's own retry
// is off: a failed export returns at once, and the records wait here instead.
type buffer struct {
	next sdklog.Exporter
	max  int
	// delivered is told of each export that reached the collector, changed of each change of
	// what is kept or dropped.
	delivered func()
	changed   func()

	sendMu sync.Mutex // one delivery at a time: Export and ForceFlush may race
	mu     sync.Mutex
	kept   []sdklog.Record
	// dropped counts the records lost to the bound since the start.
	dropped int
}

// Export keeps the records, then tries to deliver everything kept.
func (b *buffer) Export(ctx context.Context, records []sdklog.Record) error {
	b.mu.Lock()
	for i := range records {
		b.kept = append(b.kept, records[i].Clone())
	}
	if over := len(b.kept) - b.max; over > 0 {
		b.kept = append([]sdklog.Record(nil), b.kept[over:]...)
		b.dropped += over
	}
	b.mu.Unlock()
	b.tell()
	return b.send(ctx)
}

// send delivers what is kept, oldest first; what fails stays for the next time.
func (b *buffer) send(ctx context.Context) error {
	b.sendMu.Lock()
	defer b.sendMu.Unlock()
	b.mu.Lock()
	batch := append([]sdklog.Record(nil), b.kept...)
	droppedBefore := b.dropped
	b.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := b.next.Export(ctx, batch); err != nil {
		return err
	}
	b.mu.Lock()
	// Records kept meanwhile are after the batch; the batch may have lost its oldest to the
	// bound meanwhile, so only what is still there of it goes.
	sent := max(0, len(batch)-(b.dropped-droppedBefore))
	b.kept = append([]sdklog.Record(nil), b.kept[sent:]...)
	b.mu.Unlock()
	if b.delivered != nil {
		b.delivered()
	}
	b.tell()
	return nil
}

func (b *buffer) tell() {
	if b.changed != nil {
		b.changed()
	}
}

// counts is how many records wait and how many the bound dropped.
func (b *buffer) counts() (waiting, dropped int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.kept), b.dropped
}

// ForceFlush tries to deliver what is kept: the connection came back.
func (b *buffer) ForceFlush(ctx context.Context) error {
	if err := b.send(ctx); err != nil {
		return err
	}
	return b.next.ForceFlush(ctx)
}

// Shutdown gives what is kept one last chance, then ends the exporter.
func (b *buffer) Shutdown(ctx context.Context) error {
	_ = b.send(ctx)
	return b.next.Shutdown(ctx)
}
