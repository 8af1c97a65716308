package netproxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// Bounds on a script from the network: a PAC file is a program someone else wrote.
const (
	// MaxPACBytes is the largest script accepted; real ones are a few kilobytes.
	MaxPACBytes = 1 << 20
	// pacDeadline bounds loading the script and each FindProxyForURL call.
	pacDeadline = 2 * time.Second
)

// errPACTooLarge refuses a script over MaxPACBytes.
var errPACTooLarge = fmt.Errorf("proxy auto-configuration script is over %d bytes", MaxPACBytes)

// pacScript is one loaded auto-configuration script. A goja runtime serves one goroutine at a
// time, so calls take turns.
type pacScript struct {
	mu       sync.Mutex
	vm       *goja.Runtime
	find     goja.Callable
	deadline time.Duration
	env      pacEnv
	// callCtx is the running call's context, for the helpers' lookups.
	callCtx context.Context
}

// pacEnv is what the helper functions ask of the world: names and this computer's address.
type pacEnv struct {
	lookup func(ctx context.Context, host string) ([]net.IP, error)
	myIP   func() net.IP
	now    func() time.Time
}

func systemPACEnv() pacEnv {
	return pacEnv{
		lookup: func(ctx context.Context, host string) ([]net.IP, error) {
			return net.DefaultResolver.LookupIP(ctx, "ip4", host)
		},
		myIP: outboundIP,
		now:  time.Now,
	}
}

// loadPAC compiles and runs a script's top level, within the deadline.
func loadPAC(src []byte, env pacEnv, deadline time.Duration) (*pacScript, error) {
	if len(src) > MaxPACBytes {
		return nil, errPACTooLarge
	}
	s := &pacScript{vm: goja.New(), env: env, deadline: deadline}
	s.install()
	prog, err := goja.Compile("proxy.pac", string(src), false)
	if err != nil {
		return nil, fmt.Errorf("proxy auto-configuration script: %w", err)
	}
	err = s.bounded(context.Background(), func(context.Context) error {
		_, err := s.vm.RunProgram(prog)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("proxy auto-configuration script: %w", err)
	}
	find, ok := goja.AssertFunction(s.vm.Get("FindProxyForURL"))
	if !ok {
		return nil, errors.New("proxy auto-configuration script has no FindProxyForURL")
	}
	s.find = find
	return s, nil
}

// FindProxyForURL runs the script for one address and returns its answer, as written.
func (s *pacScript) FindProxyForURL(ctx context.Context, rawURL, host string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var answer string
	err := s.bounded(ctx, func(context.Context) error {
		v, err := s.find(goja.Undefined(), s.vm.ToValue(rawURL), s.vm.ToValue(host))
		if err != nil {
			return err
		}
		answer = v.String()
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("FindProxyForURL: %w", err)
	}
	return answer, nil
}

// errPACDeadline is why a script that ran too long was stopped.
var errPACDeadline = errors.New("proxy auto-configuration script ran out of time")

// bounded runs f with the script's deadline: the runtime is interrupted when it passes, and the
// helpers' own lookups stop with it. The helpers see ctx through s.callCtx.
func (s *pacScript) bounded(parent context.Context, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(parent, s.deadline)
	defer cancel()
	s.callCtx = ctx
	stop := context.AfterFunc(ctx, func() { s.vm.Interrupt(errPACDeadline) })
	defer func() {
		stop()
		s.vm.ClearInterrupt()
	}()
	err := f(ctx)
	var interrupted *goja.InterruptedError
	if errors.As(err, &interrupted) {
		return errPACDeadline
	}
	return err
}
