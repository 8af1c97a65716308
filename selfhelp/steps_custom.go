package selfhelp

import (
	"strings"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// The ladder's steps for the checks the organisation writes itself ([[checks]]): a failed one
// leads with the organisation's own advice, and its fix as a button the user confirms.

// customSteps gives one step per custom check that warns or fails and has advice or a fix.
// The one the verdict names leads the ladder; one that failed beside a broken layer below it
// (the network is down, so the intranet's news are too) is worth trying once that is fixed.
func (b *builder) customSteps() []Step {
	if b.r == nil {
		return nil
	}
	var steps []Step
	for _, r := range b.r.Checks {
		id, ok := strings.CutPrefix(r.ID, diagnostics.CustomPrefix)
		if !ok || !troubled(r) {
			continue
		}
		def, ok := b.p.CheckByID(id)
		if !ok || (def.Advice.IsZero() && len(def.Fix) == 0) {
			continue
		}
		title := def.Titles()
		s := Step{ID: StepCustomCheck, Check: id, Title: i18n.Msg("selfhelp.step.custom_fix", "title", title)}
		if advice := def.Advices(); advice != nil {
			s.Title = i18n.Msg("selfhelp.step.custom_advice", "advice", advice)
		}
		score := scoreHelps
		if b.causeFrom(r.ID, diagnostics.CauseCustomCheck) {
			score = scoreCause + 10
		}
		s.consider(score, i18n.Msg("selfhelp.why.custom_check", "title", title), r.ID)
		if len(def.Fix) > 0 && profile.CommandProblem(def.Fix) == "" {
			s.Action = fixAction(id, title, def.Fix)
		}
		steps = append(steps, s)
	}
	return steps
}

// fixAction is the button that runs a custom check's fix, always after the user has seen the
// command and said yes.
func fixAction(id string, title map[string]string, argv []string) Action {
	c := i18n.Msg("selfhelp.confirm.custom_fix", "title", title, "command", strings.Join(argv, " "))
	return Action{Kind: ActionCustomFix, Label: i18n.Msg("selfhelp.action.custom_fix"), Check: id,
		Command: append([]string(nil), argv...), Confirm: &c}
}
