package diagnostics

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// runFile looks at a file's date: the antivirus updated its definitions, a sync client wrote
// its state today. A file that must not be old may also be one that need not be there at all.
func (c *customCheck) runFile(ctx context.Context) Result {
	path := profile.ExpandPath(c.def.Path, c.home)
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !c.def.MustExist:
		Logf(ctx, "%s is not there, as it may be", path)
		return OK(c.msg("check.custom.file_absent")).Detail(DetailTarget, path)
	case errors.Is(err, fs.ErrNotExist):
		Logf(ctx, "%s is not there", path)
		return Fail(c.msg("check.custom.file_missing")).Because(ReasonMissing).Detail(DetailTarget, path)
	case err != nil:
		Logf(ctx, "%s cannot be read: %v", path, err)
		return Fail(c.msg("check.custom.file_unreadable")).Because(ReasonMissing).
			Detail(DetailTarget, path).Detail(DetailError, err.Error())
	}
	age := max(c.now().Sub(info.ModTime()), 0)
	Logf(ctx, "%s was last changed %s (%s ago)", path, info.ModTime().UTC().Format(time.RFC3339), age.Round(1e9))
	r := OK(c.msg("check.custom.file_ok"))
	if limit := c.def.MaxAge.Duration; limit > 0 && age > limit {
		m := c.msg("check.custom.file_old", "age", i18n.Each(func(l string) string { return i18n.FormatDuration(l, age) }))
		if age >= 48*time.Hour {
			m = c.msg("check.custom.file_old_days", "days", int(age/(24*time.Hour)))
		}
		r = Fail(m).Because(ReasonStale)
	}
	return r.Detail(DetailTarget, path).Detail(DetailAgeS, int64(age.Seconds()))
}
