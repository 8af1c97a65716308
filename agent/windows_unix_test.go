//go:build unix

package agent

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// A real child process is waited for: once the launcher reports it gone, no zombie is left.
func TestLauncherReapsRealChildren(t *testing.T) {
	t.Setenv(childEnv, "1") // the test binary started as a window exits at once
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pids := make(chan int, 1)
	exited := make(chan error, 1)
	l := &Launcher{
		Executable: exe,
		Start: func(argv []string) (Child, error) {
			c, err := startProcess(argv)
			if err == nil {
				pids <- c.(*exec.Cmd).Process.Pid
			}
			return c, err
		},
		Exited: func(_ string, err error) { exited <- err },
	}
	if err := l.Open("details", "en"); err != nil {
		t.Fatal(err)
	}
	pid := <-pids
	if err := <-exited; err != nil {
		t.Errorf("the window process failed: %v", err)
	}
	l.Wait()
	// A zombie still answers signal 0; a reaped process is gone.
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process %d after reaping: kill(0) = %v, want ESRCH", pid, err)
	}
}
