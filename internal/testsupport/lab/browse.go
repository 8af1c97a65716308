//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// A user's browsing, in the three shapes whose loss the watcher must notice from the client's
// TCP connections alone: many new short connections (a browser opening pages), requests over a
// kept-alive connection (a web application that polls; StartTraffic), and a download in flight.
// All go to ServiceAddr, beyond the router, so BlackholeUpstream takes them away.

// StartShortConnections sends a request from the client to the service every period, each over
// a new TCP connection that is closed after the answer, as a browser opening page after page
// does. Each request may take timeout.
func (l *Lab) StartShortConnections(period, timeout time.Duration) *Traffic {
	ctx, cancel := context.WithCancel(context.Background())
	t := &Traffic{cancel: cancel, client: &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DisableKeepAlives: true,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return Dial(ctx, l.Client, network, addr)
			},
		},
	}}
	url := "http://" + net.JoinHostPort(ServiceAddr, "80") + "/"
	// Each request on its own, as a browser's tabs do: one that hangs does not hold back the next.
	t.every(ctx, period, func() { t.wg.Go(func() { t.request(ctx, url) }) })
	return t
}

// The download server's port on ServiceAddr, and how it paces its answers: chunks of
// downloadChunk every downloadTick, 3.2 MB/s, so a download is in flight all the time without
// taking the test machine's cores.
const (
	DownloadPort  = 8080
	downloadChunk = 32 << 10
	downloadTick  = 10 * time.Millisecond
)

// Download is a user's download: one file after another from a server beyond the router, each
// of size bytes over the same kept-alive connection, the next asked for as soon as one ends. A
// download that receives nothing for its idle timeout is abandoned with its connection, and the
// next one connects afresh, as a browser gives up on a dead transfer.
type Download struct {
	received, done, failed atomic.Int64
	cancel                 context.CancelFunc
	wg                     sync.WaitGroup
	client                 *http.Client
}

// StartDownload serves files on ServiceAddr:DownloadPort in the lab's internet and downloads
// them from the client until Stop; each file has size bytes.
func (l *Lab) StartDownload(size int64, idle time.Duration) (*Download, error) {
	ln, err := Listen(l.Net, "tcp", net.JoinHostPort(ServiceAddr, strconv.Itoa(DownloadPort)))
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(serveDownload), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	l.onClose(srv.Close)

	ctx, cancel := context.WithCancel(context.Background())
	d := &Download{cancel: cancel, client: &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: 1,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return Dial(ctx, l.Client, network, addr)
		},
	}}}
	url := fmt.Sprintf("http://%s/file?size=%d", net.JoinHostPort(ServiceAddr, strconv.Itoa(DownloadPort)), size)
	d.wg.Go(func() {
		for ctx.Err() == nil {
			if err := d.fetch(ctx, url, size, idle); err != nil {
				d.failed.Add(1)
				// A refused or black-holed connection fails fast or after idle; either way,
				// try again soon, not in a tight loop.
				select {
				case <-ctx.Done():
				case <-time.After(100 * time.Millisecond):
				}
				continue
			}
			d.done.Add(1)
		}
	})
	return d, nil
}

// errIdle says a download received nothing for its idle timeout.
var errIdle = errors.New("download received nothing for its idle timeout")

// fetch downloads one file, giving up when nothing arrives for idle.
func (d *Download) fetch(ctx context.Context, url string, size int64, idle time.Duration) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stalled := time.AfterFunc(idle, func() { cancel(errIdle) })
	defer stalled.Stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return fmt.Errorf("download: %w", context.Cause(ctx))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download: %s", resp.Status)
	}
	buf := make([]byte, 64<<10)
	var got int64
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			got += int64(n)
			d.received.Add(int64(n))
			stalled.Reset(idle)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if c := context.Cause(ctx); c != nil {
				err = c
			}
			return fmt.Errorf("download after %d bytes: %w", got, err)
		}
	}
	if got != size {
		return fmt.Errorf("download ended after %d of %d bytes", got, size)
	}
	return nil
}

// serveDownload answers /file?size=N with N bytes, paced.
func serveDownload(w http.ResponseWriter, r *http.Request) {
	size, err := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
	if err != nil || size < 0 {
		http.Error(w, "size?", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	chunk := make([]byte, downloadChunk)
	tick := time.NewTicker(downloadTick)
	defer tick.Stop()
	rc := http.NewResponseController(w)
	for size > 0 {
		n := min(size, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		_ = rc.Flush()
		size -= n
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

// WaitReceived waits until n more bytes than now have been downloaded, at most timeout.
func (d *Download) WaitReceived(n int64, timeout time.Duration) error {
	want := d.received.Load() + n
	if poll.Within(timeout, func() bool { return d.received.Load() >= want }) != nil {
		return fmt.Errorf("the download did not go on: %d bytes, %d files done, %d failed",
			d.received.Load(), d.done.Load(), d.failed.Load())
	}
	return nil
}

// Received counts the bytes downloaded, Done the files downloaded whole, Failed the downloads
// abandoned.
func (d *Download) Received() int64 { return d.received.Load() }

// Done counts the files downloaded whole.
func (d *Download) Done() int64 { return d.done.Load() }

// Failed counts the downloads abandoned.
func (d *Download) Failed() int64 { return d.failed.Load() }

// Stop ends the downloads and closes their connection.
func (d *Download) Stop() {
	d.cancel()
	d.wg.Wait()
	d.client.CloseIdleConnections()
}
