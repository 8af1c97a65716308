package profile

import "github.com/apuri-project/apuri/assets"

// KeyLines maps every key path a profile file sets ("support.phone", "links[0].url",
// "vpn.interfaces", "vpn.interfaces[0]") to the line that sets it, so `apuri profile show` can
// say where each effective value came from. It reuses the index that gives problems their lines;
// a file that does not parse yields the paths read before the error.
func KeyLines(data []byte) map[string]int {
	idx, _, _ := buildIndex(data)
	out := make(map[string]int, len(idx.entries))
	for _, e := range idx.entries {
		if e.header {
			continue
		}
		if _, seen := out[e.path]; !seen {
			out[e.path] = e.line
		}
	}
	return out
}

// KeyLines is KeyLines of the file the profile came from; the embedded default is read from the
// build itself. The file is read again, so a file changed in between may disagree with the profile.
func (s Source) KeyLines() (map[string]int, error) {
	if s.Kind == SourceEmbedded {
		return KeyLines(assets.DefaultProfile), nil
	}
	data, err := readFile(s.Path)
	if err != nil {
		return nil, err
	}
	return KeyLines(data), nil
}
