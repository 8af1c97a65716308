package diagnostics

import (
	"context"
	"slices"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/safetext"
	"github.com/apuri-project/apuri/profile"
)

// rebootCheck asks the operating system whether a restart is pending: updates that were
// installed but finish only at the next start. The support guide's first step is "restart the
// computer"; with this evidence it is no longer a guess.
type rebootCheck struct {
	pending func(ctx context.Context) (RebootState, error)
}

// RebootState is what the operating system says about a pending restart.
type RebootState struct {
	Pending bool
	// Since is when the restart was first asked for; zero when the system does not say.
	Since time.Time
	// Sources name what asks for it (the RebootSource* values), in the order found.
	Sources []string
	// Packages are the packages that asked, where the system lists them (Debian, Ubuntu).
	Packages []string
}

// The values of DetailRebootSources: what asked for the restart.
const (
	RebootSourcePackages         = "packages"            // Debian/Ubuntu: /run/reboot-required
	RebootSourceNeedsRestarting  = "needs_restarting"    // Fedora/RHEL: needs-restarting -r
	RebootSourceZypper           = "zypper"              // openSUSE: /run/reboot-needed
	RebootSourceComponentService = "component_servicing" // Windows: Component Based Servicing
	RebootSourceWindowsUpdate    = "windows_update"      // Windows Update
	RebootSourceFileRename       = "file_rename"         // Windows: files replaced at the next start
	RebootSourceSoftwareUpdate   = "software_update"     // macOS: an update that needs a restart
)

// RebootSources lists the values above, so tests can hold them to the documentation.
var RebootSources = []string{
	RebootSourcePackages, RebootSourceNeedsRestarting, RebootSourceZypper,
	RebootSourceComponentService, RebootSourceWindowsUpdate, RebootSourceFileRename,
	RebootSourceSoftwareUpdate,
}

// maxRebootPackages bounds the package names a report carries.
const maxRebootPackages = 10

func newRebootCheck(*profile.Profile) Check {
	return &rebootCheck{pending: systemRebootPending}
}

func (c *rebootCheck) ID() string   { return IDReboot }
func (c *rebootCheck) Group() Group { return GroupSystem }

func (c *rebootCheck) Run(ctx context.Context) Result {
	st, err := c.pending(ctx)
	if err != nil {
		Logf(ctx, "reading whether a restart is pending: %v", err)
		return Skip(i18n.Msg("check.reboot.unavailable")).Because(ReasonNoData)
	}
	if !st.Pending {
		Logf(ctx, "no restart pending")
		return OK(i18n.Msg("check.reboot.none"))
	}
	Logf(ctx, "restart pending since %v, asked by %v %v", st.Since, st.Sources, st.Packages)
	msg := i18n.Msg("check.reboot.pending")
	if !st.Since.IsZero() {
		since := st.Since.Local()
		msg = i18n.Msg("check.reboot.pending_since", "since", i18n.Each(func(l string) string { return i18n.FormatDate(l, since) }))
	}
	r := Warn(msg).Because(ReasonRebootPending).Detail(DetailRebootSources, slices.Clone(st.Sources))
	if !st.Since.IsZero() {
		r = r.Detail(DetailRebootSince, st.Since.UTC().Format(time.RFC3339))
	}
	if pkgs := cleanPackages(st.Packages); len(pkgs) > 0 {
		r = r.Detail(DetailRebootPackages, pkgs)
	}
	return r
}

// cleanPackages keeps the first package names, one short line each, without repeats: the file
// they come from is written by package scripts, not by us.
func cleanPackages(names []string) []string {
	var out []string
	for _, n := range names {
		n = safetext.Line(n, 100)
		if n == "" || slices.Contains(out, n) {
			continue
		}
		if len(out) == maxRebootPackages {
			break
		}
		out = append(out, n)
	}
	return out
}
