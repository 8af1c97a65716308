//go:build linux

package fleet_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// shipped is where the organisation's configuration lives, relative to this package.
const shipped = "../../packaging/fleet"

// stack is one run of the organisation's side on loopback: the collector with the shipped
// configuration, Prometheus with the shipped rules, Alertmanager with the shipped routing.
type stack struct {
	dir          string
	otlp         string // host:port of the collector's OTLP/HTTP receiver
	prometheus   string // http://127.0.0.1:PORT
	alertmanager string // http://127.0.0.1:PORT
	collector    *exec.Cmd
	procs        []*process
}

// process is a program the stack started, with what it wrote, for the failure message.
type process struct {
	name string
	cmd  *exec.Cmd
	out  *lab.OutputBuffer
}

// stackOptions change what the test needs to see sooner than production would: Prometheus
// evaluates the rules every second, and Alertmanager's group_wait can be shortened.
type stackOptions struct {
	webhook   string        // the URL that replaces the example receiver's
	groupWait time.Duration // replaces the shipped group_wait
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func freePorts(n int) ([]int, error) {
	ports := make([]int, n)
	for i := range ports {
		p, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		ports[i] = p
	}
	return ports, nil
}

// startStack starts Alertmanager, Prometheus and the collector (bin) in dir.
func startStack(bin, dir string, opt stackOptions) (*stack, error) {
	ports, err := freePorts(4)
	if err != nil {
		return nil, err
	}
	s := &stack{
		dir:          dir,
		otlp:         fmt.Sprintf("127.0.0.1:%d", ports[0]),
		prometheus:   fmt.Sprintf("http://127.0.0.1:%d", ports[1]),
		alertmanager: fmt.Sprintf("http://127.0.0.1:%d", ports[2]),
	}
	ok := false
	defer func() {
		if !ok {
			s.stop()
		}
	}()
	if err := s.startAlertmanager(opt); err != nil {
		return nil, err
	}
	if err := s.startPrometheus(); err != nil {
		return nil, err
	}
	if err := s.startCollector(bin, ports[3]); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

func (s *stack) startAlertmanager(opt stackOptions) error {
	cfg, err := os.ReadFile(filepath.Join(shipped, "alertmanager.yml"))
	if err != nil {
		return err
	}
	text := string(cfg)
	if opt.webhook != "" {
		text = replaceOnce(text, "https://servicedesk.example.invalid/hooks/apuri", opt.webhook)
	}
	if opt.groupWait > 0 {
		text = replaceOnce(text, "group_wait: 30s", "group_wait: "+opt.groupWait.String())
	}
	path := filepath.Join(s.dir, "alertmanager.yml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return err
	}
	u, _ := url.Parse(s.alertmanager)
	return s.start("alertmanager", s.alertmanager+"/-/ready", exec.Command("prometheus-alertmanager",
		"--config.file="+path,
		"--storage.path="+filepath.Join(s.dir, "alertmanager-data"),
		"--web.listen-address="+u.Host,
		"--cluster.listen-address=", // no gossip: a single instance on loopback
	))
}

// prometheusConfig evaluates the shipped rules every second and sends alerts to the test's
// Alertmanager; the data arrive by remote write, so nothing is scraped.
const prometheusConfig = `global:
  evaluation_interval: 1s
rule_files:
  - %q
alerting:
  alertmanagers:
    - static_configs:
        - targets: [%q]
`

func (s *stack) startPrometheus() error {
	rules, err := filepath.Abs(filepath.Join(shipped, "apuri-rules.yml"))
	if err != nil {
		return err
	}
	am, _ := url.Parse(s.alertmanager)
	path := filepath.Join(s.dir, "prometheus.yml")
	if err := os.WriteFile(path, fmt.Appendf(nil, prometheusConfig, rules, am.Host), 0o644); err != nil {
		return err
	}
	u, _ := url.Parse(s.prometheus)
	return s.start("prometheus", s.prometheus+"/-/ready", exec.Command("prometheus",
		"--config.file="+path,
		"--storage.tsdb.path="+filepath.Join(s.dir, "prometheus-data"),
		"--web.listen-address="+u.Host,
		"--web.enable-remote-write-receiver",
		"--rules.alert.resend-delay=1s",
	))
}

// startCollector runs the collector with the shipped configuration as it is; only the
// addresses come from the environment, through the ${env:…} values the file offers.
func (s *stack) startCollector(bin string, telemetryPort int) error {
	cmd := exec.Command(bin, "--config", filepath.Join(shipped, "otelcol.yaml"))
	cmd.Env = append(os.Environ(),
		"APURI_OTLP_HTTP_ENDPOINT="+s.otlp,
		"APURI_PROMETHEUS_REMOTE_WRITE_URL="+s.prometheus+"/api/v1/write",
		"APURI_COLLECTOR_TELEMETRY_PORT="+strconv.Itoa(telemetryPort),
	)
	s.collector = cmd
	if err := s.start("collector", fmt.Sprintf("http://127.0.0.1:%d/metrics", telemetryPort), cmd); err != nil {
		return err
	}
	// Its own telemetry answers before the receivers start: wait for the OTLP port as well.
	err := poll.Within(poll.Limit, func() bool {
		conn, err := net.Dial("tcp", s.otlp)
		if err == nil {
			conn.Close()
		}
		return err == nil
	})
	if err != nil {
		return fmt.Errorf("the collector's OTLP receiver at %s: %w", s.otlp, err)
	}
	return nil
}

// start runs cmd and waits until ready answers 200.
func (s *stack) start(name, ready string, cmd *exec.Cmd) error {
	out := &lab.OutputBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, out: out}
	s.procs = append(s.procs, p)
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	err := poll.Within(poll.Limit, func() bool {
		select {
		case <-exited:
			return true
		default:
		}
		resp, err := http.Get(ready)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	select {
	case <-exited:
		return fmt.Errorf("%s exited: %s", name, out.String())
	default:
	}
	if err != nil {
		return fmt.Errorf("%s not ready at %s: %w\n%s", name, ready, err, out.String())
	}
	return nil
}

// stop ends every process the stack started, the last started first.
func (s *stack) stop() {
	for i := len(s.procs) - 1; i >= 0; i-- {
		p := s.procs[i].cmd.Process
		p.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() {
			for {
				if err := p.Signal(syscall.Signal(0)); err != nil {
					close(done)
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			p.Kill()
		}
	}
}

// process is the program the stack started as name.
func (s *stack) process(name string) *exec.Cmd {
	for _, p := range s.procs {
		if p.name == name {
			return p.cmd
		}
	}
	panic("the stack started no " + name)
}

// logs is what every process wrote, for a failure message.
func (s *stack) logs() string {
	var b strings.Builder
	for _, p := range s.procs {
		fmt.Fprintf(&b, "---- %s\n%s\n", p.name, lastLines(p.out.String(), 40))
	}
	return b.String()
}

func lastLines(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func replaceOnce(text, old, repl string) string {
	if strings.Count(text, old) != 1 {
		panic(fmt.Sprintf("the shipped configuration no longer holds %q exactly once", old))
	}
	return strings.Replace(text, old, repl, 1)
}

// getJSON GETs u and decodes its JSON into v.
func getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
