package app

import (
	"context"
	"time"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
	"github.com/apuri-project/apuri/timeline"
)

// localAgent stands in for the agent when none runs (Apuri was not started at login, or it
// quit): an agent inside the window process, so the window diagnoses, saves the settings and
// opens the other windows itself, with the same code the real agent uses.
type localAgent struct {
	a *agent.Agent
}

var _ Agent = (*localAgent)(nil)

func newLocalAgent(cfg agent.Config) *localAgent {
	return &localAgent{a: agent.New(cfg)}
}

func (l *localAgent) Close() error { return l.a.Close() }

func (l *localAgent) State(context.Context) (agent.State, error) { return l.a.State(), nil }

func (l *localAgent) StartDiagnosis(context.Context) (agent.DiagnoseStarted, error) {
	id, joined, err := l.a.StartDiagnosis()
	return agent.DiagnoseStarted{Run: id, Joined: joined}, err
}

// Events calls fn with each update until ctx is done (it returns ctx.Err()) or the agent
// closes (it returns nil), like agent.Client.Events.
func (l *localAgent) Events(ctx context.Context, fn func(agent.Update)) error {
	updates, cancel := l.a.Subscribe()
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case u, ok := <-updates:
			if !ok {
				return nil
			}
			fn(u)
		}
	}
}

func (l *localAgent) Profile(context.Context) (profile.Loaded, error) { return l.a.Profile(), nil }

func (l *localAgent) Settings(context.Context) (agent.Settings, error) { return l.a.Settings(), nil }

func (l *localAgent) SaveSettings(_ context.Context, s agent.Settings) (agent.Settings, error) {
	return l.a.SaveSettings(s)
}

func (l *localAgent) OpenWindow(_ context.Context, name string) error {
	return l.a.OpenWindow(name)
}

func (l *localAgent) RequestDraft(context.Context) (agent.DraftInfo, error) {
	return l.a.RequestDraft()
}

func (l *localAgent) SaveRequestDraft(_ context.Context, d support.Draft) (agent.DraftInfo, error) {
	return l.a.SaveRequestDraft(d)
}

func (l *localAgent) PreviewRequest(_ context.Context, req agent.PreviewRequest) (agent.Preview, error) {
	return l.a.PreviewRequest(req)
}

func (l *localAgent) SubmitRequest(ctx context.Context, req agent.SubmitRequest) (agent.SubmitResult, error) {
	return l.a.SubmitRequest(ctx, req)
}

func (l *localAgent) Outbox(context.Context) (agent.OutboxList, error) { return l.a.Outbox() }

func (l *localAgent) RetryRequest(ctx context.Context, ref string) (agent.SubmitResult, error) {
	return l.a.RetryRequest(ctx, ref)
}

func (l *localAgent) DiscardRequest(ctx context.Context, ref string) error {
	return l.a.DiscardRequest(ctx, ref)
}

func (l *localAgent) RequestSecretStatus(_ context.Context, channel string) (agent.SecretStatus, error) {
	return l.a.RequestSecretStatus(channel)
}

func (l *localAgent) SetRequestSecret(_ context.Context, channel, secret string) (agent.SecretStatus, error) {
	return l.a.SetRequestSecret(channel, secret)
}

// Timeline is the history since the given time; zero means the last 24 hours, as for the
// real agent.
func (l *localAgent) Timeline(_ context.Context, since time.Time) (*timeline.Timeline, error) {
	now := time.Now()
	if since.IsZero() {
		since = now.Add(-24 * time.Hour)
	}
	return l.a.Timeline(since, now)
}
