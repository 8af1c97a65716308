package diagnostics

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// maxUpdateNames is what a report carries of PackageKit's names; twice as many are kept from its
// answer, since one package may come for several architectures and cleanPackages drops repeats.
const maxUpdateNames = 10

// PackageKit's names on the system bus, and the values of its enums that Apuri reads
// (PackageKit's pk-enum.h).
const (
	pkDest        = "org.freedesktop.PackageKit"
	pkPath        = "/org/freedesktop/PackageKit"
	pkIface       = "org.freedesktop.PackageKit"
	pkTransaction = "org.freedesktop.PackageKit.Transaction"

	pkFilterNone         = uint64(1) << 1 // the filter bitfield "none"
	pkRoleUpdatePackages = uint32(22)
	pkInfoSecurity       = uint32(8)
	pkInfoBlocked        = uint32(9)
	pkExitSuccess        = uint32(1)
)

// linuxUpdates asks PackageKit, the package service of desktop Linux (apt, dnf and zypper
// underneath), which updates wait. It reads the package cache as it is: it asks for no refresh,
// so it downloads nothing and needs no privileges.
type linuxUpdates struct {
	connect    func(ctx context.Context) (*dbus.Conn, error) // the system bus; a private one in tests
	aptHistory string                                        // apt's log of what it installed
}

func systemUpdates(ctx context.Context) (UpdatesState, error) {
	return linuxUpdates{
		connect:    func(ctx context.Context) (*dbus.Conn, error) { return dbus.ConnectSystemBus(dbus.WithContext(ctx)) },
		aptHistory: "/var/log/apt/history.log",
	}.pending(ctx)
}

func (l linuxUpdates) pending(ctx context.Context) (UpdatesState, error) {
	conn, err := l.connect(ctx)
	if err != nil {
		return UpdatesState{}, fmt.Errorf("system bus: %w", err)
	}
	defer conn.Close()
	st, err := packageKitUpdates(ctx, conn)
	if err != nil {
		return st, err
	}
	if st.Count == 0 {
		return st, nil
	}
	// PackageKit dates no update, so the wait is dated by the last time updates were installed:
	// through PackageKit (a desktop's software centre) or apt on the command line.
	var last time.Time
	var secs uint32
	if err := conn.Object(pkDest, pkPath).CallWithContext(ctx, pkIface+".GetTimeSinceAction", 0, pkRoleUpdatePackages).Store(&secs); err != nil {
		Logf(ctx, "PackageKit GetTimeSinceAction: %v", err)
	} else if secs < 20*365*86400 { // PackageKit answers the largest number for "never"
		last = time.Now().Add(-time.Duration(secs) * time.Second)
	}
	if apt := lastAptUpgrade(l.aptHistory); apt.After(last) {
		last = apt
	}
	if !last.IsZero() {
		st.Since, st.Basis = last, UpdatesBasisLastInstalled
	}
	return st, nil
}

// packageKitUpdates runs one GetUpdates transaction and counts the Package signals it sends.
func packageKitUpdates(ctx context.Context, conn *dbus.Conn) (UpdatesState, error) {
	var tid dbus.ObjectPath
	if err := conn.Object(pkDest, pkPath).CallWithContext(ctx, pkIface+".CreateTransaction", 0).Store(&tid); err != nil {
		var derr dbus.Error
		if errors.As(err, &derr) && derr.Name == "org.freedesktop.DBus.Error.ServiceUnknown" {
			return UpdatesState{}, fmt.Errorf("PackageKit is not installed: %w", err)
		}
		return UpdatesState{}, fmt.Errorf("PackageKit CreateTransaction: %w", err)
	}
	// Listen before asking, so no signal is missed.
	if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchObjectPath(tid), dbus.WithMatchInterface(pkTransaction)); err != nil {
		return UpdatesState{}, fmt.Errorf("PackageKit signals: %w", err)
	}
	// godbus hands on signals that do not fit out of order, so there is room for a long list.
	signals := make(chan *dbus.Signal, 4096)
	conn.Signal(signals)
	defer conn.RemoveSignal(signals)

	tr := conn.Object(pkDest, tid)
	// Hints PackageKit may not know are refused as a whole, so each goes alone: no questions
	// to the user, a low priority, and the cache as it is, however old (no download).
	for _, hint := range []string{"interactive=false", "background=true", "cache-age=4294967295"} {
		if err := tr.CallWithContext(ctx, pkTransaction+".SetHints", 0, []string{hint}).Err; err != nil {
			Logf(ctx, "PackageKit hint %s: %v", hint, err)
		}
	}
	if err := tr.CallWithContext(ctx, pkTransaction+".GetUpdates", 0, pkFilterNone).Err; err != nil {
		return UpdatesState{}, fmt.Errorf("PackageKit GetUpdates: %w", err)
	}
	var st UpdatesState
	var failure string
	for {
		select {
		case <-ctx.Done():
			return UpdatesState{}, ctx.Err()
		case sig, ok := <-signals:
			if !ok {
				return UpdatesState{}, errors.New("the system bus closed")
			}
			if sig.Path != tid {
				continue
			}
			switch sig.Name {
			case pkTransaction + ".Package":
				info, id := signalUint(sig, 0), signalString(sig, 1)
				if info == pkInfoBlocked {
					continue
				}
				st.Count++
				if info == pkInfoSecurity {
					st.Security++
				}
				if len(st.Names) < maxUpdateNames*2 {
					st.Names = append(st.Names, strings.SplitN(id, ";", 2)[0])
				}
			case pkTransaction + ".ErrorCode":
				failure = signalString(sig, 1)
			case pkTransaction + ".Finished":
				if exit := signalUint(sig, 0); exit != pkExitSuccess {
					return UpdatesState{}, fmt.Errorf("PackageKit GetUpdates ended with exit %d: %s", exit, failure)
				}
				return st, nil
			}
		}
	}
}

func signalUint(sig *dbus.Signal, i int) uint32 {
	if i < len(sig.Body) {
		v, _ := sig.Body[i].(uint32)
		return v
	}
	return 0
}

func signalString(sig *dbus.Signal, i int) string {
	if i < len(sig.Body) {
		v, _ := sig.Body[i].(string)
		return v
	}
	return ""
}

// aptHistoryTail bounds how much of apt's log is read: its end holds the latest entries.
const aptHistoryTail = 1 << 20

// lastAptUpgrade is when apt last finished a run that upgraded packages, from its history
// (entries of Start-Date, Commandline, Upgrade: …, End-Date, in local time); zero when the log
// is absent, unreadable or names no upgrade (it is rotated monthly).
func lastAptUpgrade(path string) time.Time {
	f, err := os.Open(path)
	if err != nil {
		return time.Time{}
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > aptHistoryTail {
		f.Seek(fi.Size()-aptHistoryTail, io.SeekStart)
	}
	var last time.Time
	upgraded := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Start-Date:"):
			upgraded = false
		case strings.HasPrefix(line, "Upgrade:"):
			upgraded = true
		case strings.HasPrefix(line, "End-Date:") && upgraded:
			v := strings.Join(strings.Fields(strings.TrimPrefix(line, "End-Date:")), " ")
			if t, err := time.ParseInLocation("2006-01-02 15:04:05", v, time.Local); err == nil && t.After(last) {
				last = t
			}
		}
	}
	return last
}
