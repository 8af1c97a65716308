# Apuri's build. `make run` starts Apuri; `make test` runs every test. Both install the system
# packages they need first (as root; otherwise they print the apt-get line).
GO          ?= go
BIN         := bin/apuri
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0-dev)
LDFLAGS     := -X github.com/apuri-project/apuri/internal/program.Version=$(VERSION)
# Packages that never import Fyne build and vet without cgo, for every OS.
PURE_PKGS   := ./profile/... ./policy/... ./diagnostics/... ./i18n/... ./cli/... ./assets/... ./selfhelp/... ./agent/... ./timeline/... ./support/... ./notify/... ./disruptions/... ./netproxy/... ./fleet/... ./internal/words/... ./internal/program/... ./internal/atomicfile/... ./internal/filelock/... ./internal/safetext/... ./internal/diskuse/...

.PHONY: run build deps deps-test test unit lint cross bench bench-idle tidy-check clean fleet-collector

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
# The Wine lab (test/winlab) runs its faults one Wine session at a time: on a busy machine that
# takes longer than go test's default 10 minutes per package.
unit: fleet-collector
	$(GO) test -race -count=1 -timeout 30m ./...

# The fleet tests' OpenTelemetry Collector (test/fleet/collector, a module of its own), built by
# test/fleet's TestMain and kept beside the Go build cache. Built here first, alone and with no
# test timeout, because the first build takes minutes and would otherwise race every package.
fleet-collector:
	$(GO) test -count=1 -timeout 0 -run '^$$' ./test/fleet/

lint: tidy-check
	@unformatted=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

tidy-check:
	$(GO) mod tidy -diff
	cd test/fleet/collector && $(GO) mod tidy -diff

cross:
	CGO_ENABLED=0 GOOS=windows $(GO) vet $(PURE_PKGS)
	CGO_ENABLED=0 GOOS=darwin $(GO) vet $(PURE_PKGS)
	CGO_ENABLED=0 GOOS=windows $(GO) vet . ./app/tray/...

bench: deps-test fleet-collector
	$(GO) test -run '^$$' -bench . -benchtime 5x -count=1 ./test/lab/...
	$(GO) test -run '^$$' -bench Fleet -benchtime 3x -count=1 ./test/fleet/

# The tray agent's idle cost over 60 s (APURI_IDLE_SECONDS changes it): CPU % of one core,
# resident memory and wakeups per second, healthy in the network lab with no window open.
# Needs root, like the lab.
bench-idle: deps-test
	$(GO) test -run '^$$' -bench AgentIdle -benchtime 1x -count=1 ./test/e2e/

clean:
	rm -rf bin

# PNGs of every window in every language (docs/screenshots/WINDOW-STATE-LANG.png): the real
# binary under Xvfb against a canned agent, so nothing is probed. Needs xvfb, xdotool, imagemagick;
# the web page (report-html-LANG.png) is drawn by headless chromium.
.PHONY: screenshots
screenshots: build
	$(GO) run ./tools/screenshots -bin $(BIN) -out docs/screenshots

# ---- Packages (packaging/README.md). FyneApp.toml is the one source of the application's ID,
# name and version; every package reads them from it.
toml_value   = $(shell sed -n 's/^[[:space:]]*$(1)[[:space:]]*=[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$$/\1/p' FyneApp.toml | head -n 1)
APP_ID      := $(call toml_value,ID)
APP_NAME    := $(call toml_value,Name)
APP_VERSION := $(call toml_value,Version)
APP_BUILD   := $(call toml_value,Build)
# The packages' programs are the same build as `make build`, linked without the symbol table and
# DWARF (link-only flags, so the Go build cache still serves every compiled package).
PKG_LDFLAGS := $(LDFLAGS) -s -w
DIST        ?= dist
PREFIX      ?= /usr/local
SYSCONFDIR  ?= /etc
DESTDIR     ?=
AUTOSTART   ?= 0
ICON_SIZES  := 16 22 24 32 48 64 128 256 512
comma       := ,
empty       :=
space       := $(empty) $(empty)

.PHONY: install uninstall icons deb windows msi macos-app

# Installs both programs (from `make build`), the desktop entry, the AppStream metainfo and the
# icons under $(DESTDIR)$(PREFIX); AUTOSTART=1 also starts Apuri at every user's login
# (/etc/xdg/autostart). As root: make build && sudo make install.
install:
	@test -x $(BIN) && test -x $(BIN)-window || { echo "make install: $(BIN) and $(BIN)-window are missing; run make build first" >&2; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/applications $(DESTDIR)$(PREFIX)/share/metainfo
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/apuri
	install -m 0755 $(BIN)-window $(DESTDIR)$(PREFIX)/bin/apuri-window
	sed 's|@BINDIR@|$(PREFIX)/bin|g' packaging/linux/apuri.desktop.in > $(DESTDIR)$(PREFIX)/share/applications/apuri.desktop
	chmod 0644 $(DESTDIR)$(PREFIX)/share/applications/apuri.desktop
	install -m 0644 packaging/linux/$(APP_ID).metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/
	for s in $(ICON_SIZES); do \
	  install -D -m 0644 packaging/linux/icons/$${s}x$${s}.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$${s}/apps/apuri.png || exit 1; \
	done
	if [ "$(AUTOSTART)" = 1 ]; then \
	  install -d $(DESTDIR)$(SYSCONFDIR)/xdg/autostart && \
	  sed 's|@BINDIR@|$(PREFIX)/bin|g' packaging/linux/apuri-autostart.desktop.in > $(DESTDIR)$(SYSCONFDIR)/xdg/autostart/apuri.desktop && \
	  chmod 0644 $(DESTDIR)$(SYSCONFDIR)/xdg/autostart/apuri.desktop; \
	fi
	if [ -z "$(DESTDIR)" ] && [ -f $(PREFIX)/share/icons/hicolor/icon-theme.cache ]; then \
	  gtk-update-icon-cache -q -t -f $(PREFIX)/share/icons/hicolor || true; \
	fi

# Removes what `make install` put under the same PREFIX, and the login entry if it starts this
# PREFIX's apuri (another installation's entry, such as the .deb's, stays).
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/apuri $(DESTDIR)$(PREFIX)/bin/apuri-window \
	  $(DESTDIR)$(PREFIX)/share/applications/apuri.desktop \
	  $(DESTDIR)$(PREFIX)/share/metainfo/$(APP_ID).metainfo.xml \
	  $(foreach s,$(ICON_SIZES),$(DESTDIR)$(PREFIX)/share/icons/hicolor/$(s)x$(s)/apps/apuri.png)
	if grep -qx 'Exec=$(PREFIX)/bin/apuri' $(DESTDIR)$(SYSCONFDIR)/xdg/autostart/apuri.desktop 2>/dev/null; then \
	  rm -f $(DESTDIR)$(SYSCONFDIR)/xdg/autostart/apuri.desktop; \
	fi

# Regenerates packaging/linux/icons (committed, so that installing needs no Go) from the app icon.
icons:
	$(GO) run ./tools/pkgicons -src assets/icons/apuri.png -out packaging/linux/icons -sizes $(subst $(space),$(comma),$(ICON_SIZES))

# The Debian package, $(DIST)/apuri_VERSION-RELEASE_ARCH.deb, packed by nfpm from what
# `make install PREFIX=/usr AUTOSTART=1` stages.
DEB_ARCH       ?= $(shell $(GO) env GOARCH)
DEB_RELEASE    ?= 1
DEB_MAINTAINER ?= Apuri project <apuri@example.invalid>
DEB             = $(DIST)/apuri_$(APP_VERSION)-$(DEB_RELEASE)_$(DEB_ARCH).deb
deb:
	$(GO) build -ldflags "$(PKG_LDFLAGS)" -o $(DIST)/linux/apuri .
	$(GO) build -ldflags "$(PKG_LDFLAGS)" -o $(DIST)/linux/apuri-window ./cmd/apuri-window
	rm -rf $(DIST)/linux/stage
	$(MAKE) --no-print-directory install BIN=$(DIST)/linux/apuri DESTDIR=$(abspath $(DIST)/linux/stage) PREFIX=/usr AUTOSTART=1
	APP_VERSION=$(APP_VERSION) DEB_RELEASE=$(DEB_RELEASE) DEB_ARCH=$(DEB_ARCH) DEB_MAINTAINER="$(DEB_MAINTAINER)" \
	  STAGE=$(abspath $(DIST)/linux/stage) $(GO) tool nfpm package --config packaging/linux/nfpm.yaml --packager deb --target $(DEB)

# Windows (amd64), cross-compiled with Debian's mingw-w64 toolchain (the windows need cgo):
# $(DIST)/windows/apuri.exe and apuri-window.exe, both GUI-subsystem programs, with the icon,
# manifest and version information that go-winres (a go.mod tool) writes into them.
WIN_DIR := $(DIST)/windows
WIN_CC  ?= x86_64-w64-mingw32-gcc
MSI     := $(WIN_DIR)/apuri-$(APP_VERSION)-x64.msi
windows:
	@command -v $(WIN_CC) >/dev/null 2>&1 || { echo "make windows: $(WIN_CC) is missing (Debian and Ubuntu: apt-get install gcc-mingw-w64-x86-64)" >&2; exit 1; }
	mkdir -p $(WIN_DIR)
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -ldflags "$(PKG_LDFLAGS) -H windowsgui" -o $(WIN_DIR)/apuri.exe .
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(WIN_CC) $(GO) build -ldflags "$(PKG_LDFLAGS) -H windowsgui" -o $(WIN_DIR)/apuri-window.exe ./cmd/apuri-window
	for exe in apuri apuri-window; do \
	  $(GO) tool go-winres patch --no-backup --in packaging/windows/$$exe.winres.json \
	    --file-version $(APP_VERSION).$(APP_BUILD) --product-version $(APP_VERSION).$(APP_BUILD) $(WIN_DIR)/$$exe.exe && \
	  chmod 0755 $(WIN_DIR)/$$exe.exe || exit 1; \
	done

# The Windows Installer package, built with wixl (msitools): both programs in
# Program Files\Apuri, a Start-menu shortcut and the Run value that starts Apuri at sign-in.
# wixl knows no ShortcutProperty, so msibuild adds the shortcut's AppUserModelID as a table.
msi: windows
	@command -v wixl >/dev/null 2>&1 && command -v msibuild >/dev/null 2>&1 || { echo "make msi: wixl or msibuild is missing (Debian and Ubuntu: apt-get install wixl msitools)" >&2; exit 1; }
	rm -rf $(WIN_DIR)/resources
	$(GO) tool go-winres extract --dir $(WIN_DIR)/resources $(WIN_DIR)/apuri.exe
	cp $(WIN_DIR)/resources/APP_0000.ico $(WIN_DIR)/apuri.ico
	cd $(WIN_DIR) && wixl --arch x64 -D Version=$(APP_VERSION) -D SourceDir=. \
	  -o $(notdir $(MSI)) $(abspath packaging/windows/apuri.wxs)
	msibuild $(MSI) -i $(abspath packaging/windows/MsiShortcutProperty.idt)

# The macOS application bundle $(DIST)/macos/Apuri.app (Info.plist from FyneApp.toml, the icon)
# and the LaunchAgent that starts it at every user's login. Its programs need a Mac: the tray
# (fyne.io/systray) and the windows (Fyne) use Cocoa through cgo, which needs Apple's SDK.
MACOS_DIR       := $(DIST)/macos
MACOS_APP       := $(MACOS_DIR)/$(APP_NAME).app
# Bundle IDs allow letters, digits, '-' and '.': the app ID with '-' for '_', which is also the
# label of the LaunchAgent that Apuri's own setting writes (agent/autostart_darwin.go).
MACOS_BUNDLE_ID := $(subst _,-,$(APP_ID))
macos-app:
	rm -rf $(MACOS_APP)
	mkdir -p $(MACOS_APP)/Contents/MacOS $(MACOS_APP)/Contents/Resources
	sed -e 's|@NAME@|$(APP_NAME)|g' -e 's|@BUNDLE_ID@|$(MACOS_BUNDLE_ID)|g' \
	  -e 's|@VERSION@|$(APP_VERSION)|g' -e 's|@BUILD@|$(APP_BUILD)|g' \
	  packaging/macos/Info.plist.in > $(MACOS_APP)/Contents/Info.plist
	$(GO) run ./tools/pkgicons -src assets/icons/apuri.png -out $(MACOS_DIR)/icon -sizes 512 -fill 0.8047
	$(GO) tool icnsify -i $(MACOS_DIR)/icon/512x512.png -o $(MACOS_APP)/Contents/Resources/icon.icns
	cp packaging/macos/$(MACOS_BUNDLE_ID).plist $(MACOS_DIR)/
	@if [ "$$(uname -s)" = Darwin ]; then \
	  echo "building the programs for macOS"; \
	  CGO_ENABLED=1 $(GO) build -ldflags "$(PKG_LDFLAGS)" -o $(MACOS_APP)/Contents/MacOS/apuri . && \
	  CGO_ENABLED=1 $(GO) build -ldflags "$(PKG_LDFLAGS)" -o $(MACOS_APP)/Contents/MacOS/apuri-window ./cmd/apuri-window; \
	else \
	  echo "macos-app: $(MACOS_APP)/Contents/MacOS is empty: apuri and apuri-window use Cocoa through cgo and build only on a Mac (run make macos-app there)"; \
	fi
