package i18n

// Message is a translatable sentence as data: a key into the translations and its named
// arguments. Checks, the agent, the profile and support requests all speak in Messages, so
// one result reads well in Finnish, Swedish and English and travels as JSON unchanged.
type Message struct {
	Key  string         `json:"key"`
	Args map[string]any `json:"args,omitempty"`
}

// Msg builds a Message from a key and alternating name, value pairs:
// Msg("uptime.days", "days", 23). A name that is not a string, or a name without a value, is
// dropped rather than guessed at.
func Msg(key string, kv ...any) Message {
	m := Message{Key: key}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			if name, ok := kv[i].(string); ok {
				m.Args[name] = kv[i+1]
			}
		}
	}
	return m
}

// Message renders m in the translator's language.
func (t *Translator) Message(m Message) string { return t.T(m.Key, m.Args) }
