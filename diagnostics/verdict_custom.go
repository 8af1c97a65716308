package diagnostics

// customAdvice is the advice of a custom_check verdict: the organisation's own for its check
// first, when the profile gives one, then what helps with anything the organisation runs.
func customAdvice(v Verdict) ([]string, bool) {
	if v.Cause != CauseCustomCheck {
		return nil, false
	}
	advice := Advice(CauseCustomCheck)
	if v.Message.Args["advice"] != nil {
		advice = append([]string{"advice.custom_check"}, advice...)
	}
	return advice, true
}
