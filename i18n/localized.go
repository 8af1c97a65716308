package i18n

// Localized is a text written in each language: a date, or a service's title from the
// organisation profile. As an argument of a translation it renders in the translator's
// language, so a message can be made once and read in any language later. Through JSON it
// travels as an object of language → text, which the translator recognises too.
type Localized map[string]string

// In returns the text in lang; else in English, Finnish or Swedish, in that order; else "".
func (l Localized) In(lang string) string {
	if s := l[lang]; s != "" {
		return s
	}
	for _, fallback := range []string{Fallback, "fi", "sv"} {
		if s := l[fallback]; s != "" {
			return s
		}
	}
	return ""
}

// Each writes a text in every language: i18n.Each(func(l string) string { return FormatDate(l, t) }).
func Each(write func(lang string) string) Localized {
	l := make(Localized, len(Languages))
	for _, lang := range Languages {
		l[lang] = write(lang)
	}
	return l
}

// localizedOf recognises a Localized argument, also one that has been through JSON and come back
// as map[string]any: a non-empty object whose keys are all languages and whose values are text.
func localizedOf(v any) (Localized, bool) {
	switch v := v.(type) {
	case Localized:
		return v, true
	case map[string]string:
		return localizedOf(map[string]any(toAny(v)))
	case map[string]any:
		if len(v) == 0 {
			return nil, false
		}
		l := make(Localized, len(v))
		for k, x := range v {
			s, ok := x.(string)
			if !ok || !Supported(k) {
				return nil, false
			}
			l[k] = s
		}
		return l, true
	}
	return nil, false
}

func toAny(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// localizeArgs returns args with every Localized argument replaced by its text in lang; args
// itself is left as it was, since messages are shared between languages.
func localizeArgs(lang string, args map[string]any) map[string]any {
	var out map[string]any
	for k, v := range args {
		l, ok := localizedOf(v)
		if !ok {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(args))
			for k2, v2 := range args {
				out[k2] = v2
			}
		}
		out[k] = l.In(lang)
	}
	if out == nil {
		return args
	}
	return out
}
