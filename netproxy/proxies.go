package netproxy

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// detectTimeout bounds reading the settings and fetching a script, once per Proxies.
const detectTimeout = 8 * time.Second

// Choice is the proxy for one address and where that choice came from.
type Choice struct {
	// Proxy is the proxy to go through; nil is direct.
	Proxy *url.URL
	// Source is the setting that decided.
	Source Source
	// Problem is why the automatic configuration could not decide, when it could not (the
	// address then goes direct, as a browser's does); nil otherwise.
	Problem error
}

// String is the proxy as the report names it: "none" or scheme://host:port, never a password.
func (c Choice) String() string {
	if c.Proxy == nil {
		return "none"
	}
	return (&url.URL{Scheme: c.Proxy.Scheme, Host: c.Proxy.Host}).String()
}

// Proxies answers, per address, which proxy the user's browser would use. The settings are read
// at the first question and kept: one diagnosis asks many times and must get one answer.
type Proxies struct {
	getenv     func(string) string
	desktop    func(ctx context.Context, getenv func(string) string) Config
	fetch      func(ctx context.Context, rawURL string) ([]byte, error)
	resolvConf func() []byte
	pacEnv     pacEnv
	// system is the platform's own script engine (Windows), tried before ours.
	system func(ctx context.Context, c Config, target string) (string, bool)

	now func() time.Time

	mu       sync.Mutex
	loaded   time.Time
	settings *settings
}

// settings are what one reading found: the Config, and the script when it names one.
type settings struct {
	cfg    Config
	manual func(*url.URL) (*url.URL, error)
	script *pacScript
	// scriptFrom is SourcePAC or SourceWPAD; scriptErr is why no script could be loaded.
	scriptFrom Source
	scriptErr  error
	// answers keeps each address's scripted choice: a script (or WinHTTP's discovery) is slow
	// and the transport and the report both ask.
	answers sync.Map
}

// System reads this computer's settings: the environment, then the desktop's.
func System() *Proxies {
	client := directClient()
	return &Proxies{
		getenv:     osGetenv,
		desktop:    desktopConfig,
		fetch:      func(ctx context.Context, u string) ([]byte, error) { return fetchPAC(ctx, client, u) },
		resolvConf: readResolvConf,
		pacEnv:     systemPACEnv(),
		system:     systemPAC,
		now:        time.Now,
	}
}

// shared is the one reader every part of the program asks, so all say the same.
var shared = sync.OnceValue(System)

// Shared is this computer's settings, read by the one reader the whole program shares.
func Shared() *Proxies { return shared() }

// refreshAfter is how long one reading is kept: long enough for a diagnosis to get one answer,
// short enough that a changed setting counts at the next one.
const refreshAfter = time.Minute

// Config is the settings the choices are made from, read on first use.
func (p *Proxies) Config(ctx context.Context) Config {
	return p.load(ctx).cfg
}

// Func is the choice as http.Transport.Proxy wants it.
func (p *Proxies) Func() func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		return p.For(req.Context(), req.URL).Proxy, nil
	}
}

// For chooses the proxy for one address.
func (p *Proxies) For(ctx context.Context, target *url.URL) Choice {
	st := p.load(ctx)
	c := st.cfg
	switch {
	case c.From == SourceNone:
		return Choice{Source: SourceNone}
	case !c.automatic():
		u, err := st.manual(target)
		if err != nil {
			return Choice{Source: c.From, Problem: err}
		}
		return Choice{Proxy: u, Source: c.From}
	}
	if cached, ok := st.answers.Load(target.String()); ok {
		return cached.(Choice)
	}
	choice := p.scripted(ctx, st, target)
	if choice.Problem == nil {
		st.answers.Store(target.String(), choice)
	}
	return choice
}

// scripted asks the platform's engine, else the loaded script, for one address.
func (p *Proxies) scripted(ctx context.Context, st *settings, target *url.URL) Choice {
	from := SourcePAC
	if st.cfg.PACURL == "" {
		from = SourceWPAD
	}
	if p.system != nil {
		if answer, ok := p.system(ctx, st.cfg, target.String()); ok {
			return choiceOf(answer, from)
		}
	}
	if st.script == nil {
		return Choice{Source: st.scriptFrom, Problem: st.scriptErr}
	}
	answer, err := st.script.FindProxyForURL(ctx, target.String(), target.Hostname())
	if err != nil {
		return Choice{Source: st.scriptFrom, Problem: err}
	}
	return choiceOf(answer, st.scriptFrom)
}

// choiceOf takes the first entry of a script's answer: Go's transport tries one proxy, and the
// first is the one the script prefers.
func choiceOf(answer string, from Source) Choice {
	entries, err := parsePACResult(answer)
	if err != nil {
		return Choice{Source: from, Problem: err}
	}
	return Choice{Proxy: entries[0], Source: from}
}

// load reads the settings, and the script when they name or want one, unless a reading younger
// than refreshAfter is at hand. It runs apart from the asking request's cancellation, within its
// own bound; askers wait for the one reading.
func (p *Proxies) load(ctx context.Context) *settings {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now
	if p.now != nil {
		now = p.now
	}
	if p.settings != nil && now().Sub(p.loaded) < refreshAfter {
		return p.settings
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), detectTimeout)
	defer cancel()
	st := &settings{cfg: fromEnv(p.getenv)}
	if !st.cfg.configured() && p.desktop != nil {
		st.cfg = p.desktop(ctx, p.getenv)
	}
	if st.cfg.From == "" || !st.cfg.configured() {
		st.cfg = Config{From: SourceNone}
	}
	if st.cfg.automatic() {
		p.loadScript(ctx, st)
	} else {
		st.manual = manualFunc(st.cfg)
	}
	p.settings, p.loaded = st, now()
	return st
}

// loadScript fetches and compiles the configured script, or finds one by WPAD.
func (p *Proxies) loadScript(ctx context.Context, st *settings) {
	candidates, from := []string{st.cfg.PACURL}, SourcePAC
	if st.cfg.PACURL == "" {
		from = SourceWPAD
		candidates = wpadCandidates(p.resolvConf())
	}
	st.scriptFrom = from
	if len(candidates) == 0 {
		st.scriptErr = errors.New("no search domain to look for a proxy script in (WPAD)")
		return
	}
	var errs []error
	for _, u := range candidates {
		src, err := p.fetch(ctx, u)
		if err == nil {
			st.script, err = loadPAC(src, p.pacEnv, pacDeadline)
		}
		if err == nil {
			return
		}
		errs = append(errs, err)
	}
	st.scriptErr = errors.Join(errs...)
}

// Describe is the settings in one line for a check's log: where they came from and what they
// say, without passwords.
func (c Config) Describe() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("from", string(c.From))
	add("http", redactProxy(c.HTTP))
	add("https", redactProxy(c.HTTPS))
	add("pac", redactProxy(c.PACURL))
	if c.AutoDetect {
		add("wpad", "yes")
	}
	if len(c.Bypass) > 0 {
		add("bypass", strings.Join(c.Bypass, ","))
	}
	return strings.Join(parts, " ")
}

// redactProxy drops a user name and password from a proxy or script address.
func redactProxy(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	return s
}

// Fixed answers from the given settings alone, never the environment or the desktop: for
// tests, and for what must go direct (Direct).
func Fixed(c Config) *Proxies {
	p := System()
	p.getenv = func(string) string { return "" }
	p.desktop = func(context.Context, func(string) string) Config { return c }
	p.system = nil
	return p
}

// Direct sends everything direct.
func Direct() *Proxies { return Fixed(Config{From: SourceNone}) }
