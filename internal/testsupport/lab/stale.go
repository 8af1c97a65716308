//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// CleanStale removes the namespaces (and their /etc/netns files) that earlier runs left behind
// when they crashed: those named Prefix+pid+… whose pid no longer exists. It returns the names
// it removed. Namespaces of running processes, this one included, are left alone.
func CleanStale() ([]string, error) {
	out, err := output(context.Background(), "ip", "netns", "list")
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names[f[0]] = true
		}
	}
	// /etc/netns directories can outlive their namespace when a run dies between the two.
	if entries, err := os.ReadDir("/etc/netns"); err == nil {
		for _, e := range entries {
			names[e.Name()] = true
		}
	}
	var removed []string
	var errs []error
	for name := range names {
		pid, ok := ownerPid(name)
		if !ok || pidAlive(pid) {
			continue
		}
		if err := removeNamespace(name); err != nil && !strings.Contains(err.Error(), "No such") {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, name)
	}
	return removed, errors.Join(errs...)
}

// ownerPid reads the pid out of a lab namespace's name.
func ownerPid(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, Prefix)
	if !ok {
		return 0, false
	}
	field, _, _ := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(field)
	return pid, err == nil && pid > 0
}

// CleanStaleAndSay runs CleanStale for a test program's TestMain and says on stderr what it
// removed or why it could not, under the program's name. A failure only warns: the run goes on.
func CleanStaleAndSay(who string) {
	if removed, err := CleanStale(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: removing leftovers of crashed runs: %v\n", who, err)
	} else if len(removed) > 0 {
		fmt.Fprintf(os.Stderr, "%s: removed leftovers of crashed runs: %s\n", who, strings.Join(removed, " "))
	}
}
