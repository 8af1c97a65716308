package selfhelp

import (
	"encoding/json"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// diskWorthNaming is how much a place must hold before the step names it: below it, clearing
// the place would not help a full disk.
const diskWorthNaming = 200_000_000

// diskPlaceWhy is the step's why when one place takes the most of what the user can clear.
var diskPlaceWhy = map[string]string{
	"trash":     "selfhelp.why.disk_trash",
	"temp":      "selfhelp.why.disk_temp",
	"downloads": "selfhelp.why.disk_downloads",
	"cache":     "selfhelp.why.disk_cache",
}

// largestPlace reads the disk check's DetailDiskUsage, a list of {place, bytes, …} largest
// first, whether it is the check's own value or the same decoded from JSON.
func largestPlace(r diagnostics.Result) (place string, bytes int64, ok bool) {
	raw, err := json.Marshal(r.Details[diagnostics.DetailDiskUsage])
	if err != nil {
		return "", 0, false
	}
	var list []struct {
		Place string `json:"place"`
		Bytes int64  `json:"bytes"`
	}
	if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return "", 0, false
	}
	top := list[0]
	for _, u := range list[1:] {
		if u.Bytes > top.Bytes {
			top = u
		}
	}
	return top.Place, top.Bytes, top.Bytes >= diskWorthNaming && diskPlaceWhy[top.Place] != ""
}

// diskWhy names, beside how full the disk is, what takes the most of it that the user can clear.
func diskWhy(r diagnostics.Result, percent int, path string) (i18n.Message, bool) {
	place, bytes, ok := largestPlace(r)
	if !ok || path == "" {
		return i18n.Message{}, false
	}
	size := i18n.Each(func(l string) string { return i18n.FormatBytes(l, bytes) })
	return i18n.Msg(diskPlaceWhy[place], "percent", percent, "path", path, "size", size), true
}
