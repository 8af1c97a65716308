package agent

import (
	"errors"
	"reflect"
	"sync"
	"testing"
)

// fakeChild is a window process that runs until its test closes exit.
type fakeChild struct{ exit chan error }

func (c *fakeChild) Wait() error { return <-c.exit }

func TestLauncherArgv(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		window  string
		lang    string
		want    []string
	}{
		{"details in Finnish", "", "details", "fi", []string{"/opt/apuri/apuri", "window", "details", "--lang", "fi"}},
		{"with the agent's profile", "/etc/org/profile.toml", "settings", "sv",
			[]string{"/opt/apuri/apuri", "window", "settings", "--lang", "sv", "--profile", "/etc/org/profile.toml"}},
		{"a profile path with spaces stays one argument", "/home/a b/p.toml", "help", "en",
			[]string{"/opt/apuri/apuri", "window", "help", "--lang", "en", "--profile", "/home/a b/p.toml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [][]string
			child := &fakeChild{exit: make(chan error)}
			l := &Launcher{
				Executable: "/opt/apuri/apuri",
				Profile:    tt.profile,
				Start: func(argv []string) (Child, error) {
					got = append(got, argv)
					return child, nil
				},
			}
			if err := l.Open(tt.window, tt.lang); err != nil {
				t.Fatal(err)
			}
			close(child.exit)
			l.Wait()
			if len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
				t.Errorf("started %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLauncherOneChildPerWindow(t *testing.T) {
	var mu sync.Mutex
	children := map[string][]*fakeChild{}
	exited := make(chan string, 4)
	l := &Launcher{
		Executable: "/opt/apuri/apuri",
		Start: func(argv []string) (Child, error) {
			mu.Lock()
			defer mu.Unlock()
			c := &fakeChild{exit: make(chan error, 1)}
			children[argv[2]] = append(children[argv[2]], c)
			return c, nil
		},
		Exited: func(name string, _ error) { exited <- name },
	}
	if err := l.Open("details", "fi"); err != nil {
		t.Fatal(err)
	}
	if err := l.Open("details", "fi"); !errors.Is(err, ErrAlreadyOpen) {
		t.Errorf("second open while running: %v, want ErrAlreadyOpen", err)
	}
	if err := l.Open("help", "fi"); err != nil {
		t.Errorf("another window is independent: %v", err)
	}
	if len(children["details"]) != 1 || !l.IsOpen("details") {
		t.Fatalf("details started %d times", len(children["details"]))
	}
	children["details"][0].exit <- nil
	if name := <-exited; name != "details" {
		t.Fatalf("exited %q", name)
	}
	if l.IsOpen("details") {
		t.Error("details still open after its process exited")
	}
	if err := l.Open("details", "fi"); err != nil {
		t.Errorf("reopening after the window closed: %v", err)
	}
	if len(children["details"]) != 2 {
		t.Errorf("details started %d times, want 2", len(children["details"]))
	}
	for _, cs := range children {
		for _, c := range cs {
			select {
			case c.exit <- nil:
			default:
			}
		}
	}
	l.Wait()
}

func TestLauncherStartFailure(t *testing.T) {
	l := &Launcher{Executable: "/x", Start: func([]string) (Child, error) { return nil, errors.New("no such file") }}
	if err := l.Open("details", "en"); err == nil || errors.Is(err, ErrAlreadyOpen) {
		t.Errorf("Open with a failing start: %v", err)
	}
	if l.IsOpen("details") {
		t.Error("a window that never started counts as open")
	}
}
