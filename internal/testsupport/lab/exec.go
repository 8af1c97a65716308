//go:build linux

package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// DnsmasqPath is where Debian's dnsmasq-base puts the binary; PATH is tried as well.
const DnsmasqPath = "/usr/sbin/dnsmasq"

// Missing says what this machine lacks to build a lab, or "" when nothing is missing.
func Missing() string {
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root (network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		missing = append(missing, "the ip command (apt-get install iproute2)")
	}
	if dnsmasqBinary() == "" {
		missing = append(missing, "dnsmasq (apt-get install dnsmasq-base)")
	}
	if _, err := os.Stat("/proc/self/ns/net"); err != nil {
		missing = append(missing, "network namespaces in the kernel")
	}
	return strings.Join(missing, "; ")
}

func dnsmasqBinary() string {
	if _, err := os.Stat(DnsmasqPath); err == nil {
		return DnsmasqPath
	}
	if p, err := exec.LookPath("dnsmasq"); err == nil {
		return p
	}
	return ""
}

// run runs a command to completion and folds its output into the error.
func run(ctx context.Context, name string, args ...string) error {
	_, err := outputStdin(ctx, "", name, args...)
	return err
}

// output runs a command and returns its standard output.
func output(ctx context.Context, name string, args ...string) (string, error) {
	return outputStdin(ctx, "", name, args...)
}

// outputStdin runs a command that reads in and returns its standard output.
func outputStdin(ctx context.Context, in, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err,
			strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// ip runs one iproute2 command.
func ip(args ...string) error { return run(context.Background(), "ip", args...) }

// ipBatch runs several iproute2 commands with one process, inside ns unless it is "".
func ipBatch(ns string, lines []string) error {
	args := []string{"-batch", "-"}
	if ns != "" {
		args = append([]string{"-n", ns}, args...)
	}
	_, err := outputStdin(context.Background(), strings.Join(lines, "\n")+"\n", "ip", args...)
	return err
}

func writeFile(path, content string) error {
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// pidAlive reports whether a process with this id exists (EPERM still means it exists).
func pidAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
