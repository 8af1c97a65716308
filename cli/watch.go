package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
	"github.com/apuri-project/apuri/timeline"
	"github.com/shirou/gopsutil/v4/process"
)

// watchDeps are the side effects of `apuri watch`; tests replace them.
var watchDeps = struct {
	// watch runs the watcher in this process; logf, nil unless --verbose, hears what it does.
	watch func(ctx context.Context, p *profile.Profile, emit func(diagnostics.WatchEvent),
		sample func(diagnostics.WatchSample), logf func(format string, args ...any)) error
	// client returns a client of the running agent, or nil when none answers.
	client func(ctx context.Context) *agent.Client
	// store is where this process records the timeline; nil records nothing.
	store func() *timeline.Store
	// fleet starts the export the profile's [fleet] asks for; nil without one.
	fleet func(f profile.Fleet) (*fleet.Exporter, error)
	now   func() time.Time
}{
	watch:  diagnostics.WatchLogged,
	client: runningAgent,
	store: func() *timeline.Store {
		if path := timeline.DefaultPath(); path != "" {
			return timeline.Open(path)
		}
		return nil
	},
	fleet: func(f profile.Fleet) (*fleet.Exporter, error) {
		return fleet.New(fleet.Config{Fleet: f, Version: program.Version, Secrets: support.Keyring{}})
	},
	now: time.Now,
}

// fleetCloseWait bounds how long an ending `apuri watch` tries to deliver what waits.
const fleetCloseWait = 3 * time.Second

// runningAgent finds the user's agent on its socket.
func runningAgent(ctx context.Context) *agent.Client {
	c, err := agent.Dial(agent.SocketPath())
	if err != nil {
		return nil
	}
	return c
}

// runWatch is `apuri watch [--json] [--verbose]`: one line per connectivity change and per
// automatic diagnosis, until interrupted. When the tray agent runs, its watcher is followed (one
// watcher per user, one timeline); otherwise this process watches and records by itself, and
// --verbose writes to stderr what its watcher does and why (each probe's reason and outcome),
// for whoever must explain a loss noticed late.
func runWatch(env Env, _ program.Options, args []string) int {
	f := newFlags("watch")
	asJSON := f.Bool("json", false, "print one JSON object per event")
	verbose := f.Bool("verbose", false, "also write what the watcher does to stderr")
	if _, ok := f.parse(env, args); !ok {
		return program.ExitUsage
	}
	p, ok := loadProfile(env, f.opts)
	if !ok {
		return program.ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	out := &watchPrinter{w: env.Stdout, errw: env.Stderr, json: *asJSON, tr: f.opts.Tr(), verbose: *verbose}
	if !out.json {
		out.note("watch.stop_hint")
	}
	if c := watchDeps.client(ctx); c != nil {
		followed := followAgent(ctx, c, out)
		c.Close()
		if ctx.Err() != nil {
			return program.ExitOK
		}
		if followed {
			out.note("watch.agent_gone")
		}
	}
	if err := watchHere(ctx, env, p, out); err != nil {
		fmt.Fprintln(env.Stderr, f.opts.Tr().F("watch.failed", "error", err.Error()))
		return program.ExitFailed
	}
	return program.ExitOK
}

// followAgent prints the agent's watch events until ctx ends or the agent goes away. The
// stream begins with the agent's state: an agent that does not watch is left at once (false),
// else the state makes the started line.
func followAgent(ctx context.Context, c *agent.Client, out *watchPrinter) bool {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	first, watching := true, false
	_ = c.Events(ctx, func(u agent.Update) {
		switch {
		case first && u.Kind == agent.UpdateState && u.State != nil:
			first = false
			if u.State.Watch.State == agent.ConnOff {
				cancel()
				return
			}
			watching = true
			out.note("watch.following")
			if ev, ok := startedFrom(u.State.Watch, watchDeps.now()); ok {
				out.print(ev)
			}
		case watching && u.Kind == agent.UpdateWatch && u.Watch != nil:
			out.print(*u.Watch)
		}
	})
	return watching
}

// startedFrom is the started line for an agent that has been watching for a while.
func startedFrom(s agent.WatchStatus, now time.Time) (diagnostics.WatchEvent, bool) {
	ev := diagnostics.WatchEvent{Time: now.UTC(), Event: diagnostics.WatchStarted, Message: i18n.Msg("watch.started"),
		Since: s.Since.UTC()}
	switch s.State {
	case diagnostics.ConnOnline:
		ev.Cause, ev.Status = diagnostics.CauseHealthy, diagnostics.StatusOK
	case diagnostics.ConnDegraded:
		ev.Cause, ev.Status = s.Cause, diagnostics.StatusWarn
	case diagnostics.ConnLost:
		ev.Cause, ev.Status = s.Cause, diagnostics.StatusFail
	default:
		return ev, false
	}
	ev.Verdict = &diagnostics.Verdict{Cause: ev.Cause, Status: ev.Status, Message: i18n.Msg("verdict." + string(ev.Cause)),
		AdviceKeys: diagnostics.Advice(ev.Cause)}
	return ev, true
}

// watchHere runs the watcher in this process, diagnoses on loss and restore, and records the
// timeline, until ctx ends.
func watchHere(ctx context.Context, env Env, p *profile.Profile, out *watchPrinter) error {
	var rec *timeline.Recorder
	if store := watchDeps.store(); store != nil {
		rec = timeline.NewRecorder(store)
		if _, err := store.CloseAbandoned(processAlive); err != nil {
			out.note("watch.store_failed", "error", err.Error())
		}
	}
	record := func(err error) {
		if err != nil {
			out.note("watch.store_failed", "error", err.Error())
		}
	}
	// Where no agent runs, this process sends the events the organisation's profile asks for.
	exp, err := watchDeps.fleet(p.Fleet)
	if err != nil {
		out.note("watch.fleet_failed", "error", err.Error())
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), fleetCloseWait)
		defer cancel()
		_ = exp.Close(cctx)
	}()

	// One diagnosis at a time, in the order asked; each knows what triggered it.
	triggers := make(chan diagnostics.WatchEventKind, 8)
	var wg sync.WaitGroup
	wg.Go(func() {
		for trigger := range triggers {
			if ctx.Err() != nil {
				continue
			}
			report := diagnoseNotingDisruptions(ctx, env, program.Options{}.WithTranslator(out.tr), p, nil)
			if report == nil || ctx.Err() != nil {
				continue
			}
			ev := diagnostics.DiagnosisEvent(report, trigger, watchDeps.now())
			out.print(ev)
			exp.NoteReport(report)
			exp.Event(ev)
			if rec != nil {
				record(rec.Event(ev))
			}
		}
	})
	emit := func(ev diagnostics.WatchEvent) {
		out.print(ev)
		exp.Event(ev)
		if rec != nil {
			record(rec.Event(ev))
		}
		if ev.Event == diagnostics.WatchLost || (ev.Event == diagnostics.WatchRestored && ev.Ended == diagnostics.WatchLost) {
			select {
			case triggers <- ev.Event:
			default: // a backlog of diagnoses would only repeat itself
			}
		}
	}
	sample := func(s diagnostics.WatchSample) {
		exp.Sample(s)
		if rec != nil {
			record(rec.Sample(s))
		}
	}
	var logf func(format string, args ...any)
	if out.verbose {
		logf = out.logf
	}
	err = watchDeps.watch(ctx, p, emit, sample, logf)
	close(triggers)
	wg.Wait()
	if rec != nil {
		record(rec.Flush())
	}
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// watchPrinter writes events as JSON lines or translated text, one writer at a time.
type watchPrinter struct {
	mu   sync.Mutex
	w    io.Writer
	errw io.Writer
	json bool
	tr   *i18n.Translator
	// verbose passes the watcher's log on to errw.
	verbose bool
}

func (p *watchPrinter) print(ev diagnostics.WatchEvent) {
	ev = ev.Clone()
	ev.Localize(p.tr)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.json {
		data, err := json.Marshal(ev)
		if err != nil {
			return
		}
		p.w.Write(append(data, '\n'))
		return
	}
	line := i18n.FormatTimeSeconds(p.tr.Lang(), ev.Time.Local()) + "  " + ev.Summary
	if ev.Event == diagnostics.WatchDiagnosis && ev.Verdict != nil && len(ev.Verdict.Advice) > 0 &&
		ev.Verdict.Status != diagnostics.StatusOK {
		line += " " + p.tr.T("report.try", nil) + " " + ev.Verdict.Advice[0]
	}
	fmt.Fprintln(p.w, line)
}

// note writes a translated remark to stderr, out of the way of the event lines.
func (p *watchPrinter) note(key string, kv ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.errw, p.tr.F(key, kv...))
}

// logf writes one line of the watcher's log to stderr, stamped like the JSON lines' time so that
// it lines up with the events. The log is for whoever debugs the watcher, and stays in English.
func (p *watchPrinter) logf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.errw, "%s  %s\n", watchDeps.now().UTC().Format(time.RFC3339Nano), fmt.Sprintf(format, args...))
}

// processAlive tells whether the process that recorded an incident still runs.
func processAlive(pid int) bool {
	ok, err := process.PidExists(int32(pid))
	return ok || err != nil
}
