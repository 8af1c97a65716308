package fleet

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	collogs "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// receiver is an OTLP/HTTP collector on loopback: it decodes what it receives with the
// protocol's own protobuf types and keeps the raw bytes, so a test can look for what must
// never be sent. While down it drops every connection unanswered, as a collector out of
// reach would.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	down    bool
	raw     [][]byte
	auth    []string
	paths   []string
	logs    []*collogs.ExportLogsServiceRequest
	metrics []*colmetrics.ExportMetricsServiceRequest
	bad     []string
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) setDown(down bool) {
	r.mu.Lock()
	r.down = down
	r.mu.Unlock()
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	down := r.down
	r.mu.Unlock()
	if down {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.(*net.TCPConn).SetLinger(0)
			_ = conn.Close()
		}
		return
	}
	body, err := io.ReadAll(req.Body)
	if err != nil || req.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "want protobuf", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.raw = append(r.raw, body)
	r.auth = append(r.auth, req.Header.Get("Authorization"))
	r.paths = append(r.paths, req.URL.Path)
	switch req.URL.Path {
	case "/v1/logs":
		var m collogs.ExportLogsServiceRequest
		if err := proto.Unmarshal(body, &m); err != nil {
			r.bad = append(r.bad, err.Error())
		}
		r.logs = append(r.logs, &m)
	case "/v1/metrics":
		var m colmetrics.ExportMetricsServiceRequest
		if err := proto.Unmarshal(body, &m); err != nil {
			r.bad = append(r.bad, err.Error())
		}
		r.metrics = append(r.metrics, &m)
	default:
		r.bad = append(r.bad, "unexpected path "+req.URL.Path)
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
}

// logRecords are every record received, in order, with their resource's attributes.
type gotRecord struct {
	resource map[string]string
	body     string
	attrs    map[string]*commonpb.AnyValue
}

func (r *receiver) records() []gotRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []gotRecord
	for _, req := range r.logs {
		for _, rl := range req.ResourceLogs {
			res := stringAttrs(rl.GetResource().GetAttributes())
			for _, sl := range rl.ScopeLogs {
				for _, lr := range sl.LogRecords {
					attrs := map[string]*commonpb.AnyValue{}
					for _, kv := range lr.Attributes {
						attrs[kv.Key] = kv.Value
					}
					out = append(out, gotRecord{resource: res, body: lr.GetBody().GetStringValue(), attrs: attrs})
				}
			}
		}
	}
	return out
}

func stringAttrs(kvs []*commonpb.KeyValue) map[string]string {
	out := map[string]string{}
	for _, kv := range kvs {
		out[kv.Key] = kv.Value.GetStringValue()
	}
	return out
}

// texts are every string the received requests hold, wherever in the protocol they are:
// attribute keys and values, bodies, names, units, descriptions.
func (r *receiver) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, m := range r.logs {
		out = appendStrings(out, m.ProtoReflect())
	}
	for _, m := range r.metrics {
		out = appendStrings(out, m.ProtoReflect())
	}
	return out
}

func appendStrings(out []string, m protoreflect.Message) []string {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			l := v.List()
			for i := range l.Len() {
				out = appendValue(out, fd, l.Get(i))
			}
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				out = append(out, k.String())
				out = appendValue(out, fd.MapValue(), mv)
				return true
			})
		default:
			out = appendValue(out, fd, v)
		}
		return true
	})
	return out
}

func appendValue(out []string, fd protoreflect.FieldDescriptor, v protoreflect.Value) []string {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return append(out, v.String())
	case protoreflect.BytesKind:
		return append(out, string(v.Bytes()))
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return appendStrings(out, v.Message())
	}
	return out
}
