package agent

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestPeerUIDIsOurs(t *testing.T) {
	path := filepath.Join(shortTempDir(t), SocketName)
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan int, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- -2
			return
		}
		defer c.Close()
		uid, err := peerUID(c)
		if err != nil {
			t.Error(err)
		}
		got <- uid
	}()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if uid := <-got; uid != os.Getuid() {
		t.Errorf("peer uid %d, want ours %d", uid, os.Getuid())
	}
}

// The real check on Linux lets our own user in; another uid is refused before HTTP.
func TestLinuxPeerCheck(t *testing.T) {
	tests := []struct {
		name    string
		allowed int
		refused bool
	}{
		{"same user", os.Getuid(), false},
		{"another user", os.Getuid() + 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(shortTempDir(t), SocketName)
			ln, _, err := Acquire(path)
			if err != nil {
				t.Fatal(err)
			}
			srv := NewServer(newTestAgent(t, Config{}))
			srv.PeerCheck = func(c net.Conn) error {
				uid, err := peerUID(c)
				if err != nil {
					return err
				}
				if uid != tt.allowed {
					return errors.New("other user")
				}
				return nil
			}
			go srv.Serve(ln)
			defer srv.Close()
			_, err = NewClient(path).State(context.Background())
			if refused := err != nil; refused != tt.refused {
				t.Errorf("refused: %v (%v), want %v", refused, err, tt.refused)
			}
		})
	}
	if err := checkPeer(nil); err == nil {
		t.Error("checkPeer accepted a connection it could not inspect")
	}
}
