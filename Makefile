# Apuri's build. `make run` starts Apuri; `make test` runs every test. Both install the system
# packages they need first (as root; otherwise they print the apt-get line).
GO          ?= go
BIN         := bin/apuri
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0-dev)
LDFLAGS     := -X github.com/apuri-project/apuri/cli.Version=$(VERSION)
# Packages that never import Fyne build and vet without cgo, for every OS.
PURE_PKGS   := ./profile/... ./diagnostics/... ./i18n/... ./cli/... ./assets/... ./selfhelp/... ./agent/... ./timeline/... ./support/... ./notify/...

.PHONY: run build deps deps-test test unit lint cross bench bench-idle tidy-check clean

run: deps build
	./$(BIN) $(ARGS)

# Two programs: the always-on agent and CLI (no Fyne), and the windows beside it.
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)-window ./cmd/apuri-window

deps:
	@bash scripts/deps.sh run

deps-test:
	@bash scripts/deps.sh test

test: deps-test lint cross unit

# Every Go test, with the race detector. The network-namespace lab (test/lab) needs root;
# under CI=true it fails instead of skipping.
unit:
	$(GO) test -race -count=1 ./...

lint: tidy-check
	@unformatted=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

tidy-check:
	$(GO) mod tidy -diff

cross:
	CGO_ENABLED=0 GOOS=windows $(GO) vet $(PURE_PKGS)
	CGO_ENABLED=0 GOOS=darwin $(GO) vet $(PURE_PKGS)
	CGO_ENABLED=0 GOOS=windows $(GO) vet ./app/tray/...

bench: deps-test
	$(GO) test -run '^$$' -bench . -benchtime 5x -count=1 ./test/lab/...

# The tray agent's idle cost over 60 s (APURI_IDLE_SECONDS changes it): CPU % of one core,
# resident memory and wakeups per second, healthy in the network lab with no window open.
# Needs root, like the lab.
bench-idle: deps-test
	$(GO) test -run '^$$' -bench AgentIdle -benchtime 1x -count=1 ./test/e2e/

clean:
	rm -rf bin

# PNGs of every window in every language (docs/screenshots/WINDOW-STATE-LANG.png): the real
# binary under Xvfb against a canned agent, so nothing is probed. Needs xvfb, xdotool, imagemagick.
.PHONY: screenshots
screenshots: build
	$(GO) run ./internal/cmd/screenshots -bin $(BIN) -out docs/screenshots
