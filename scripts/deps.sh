#!/usr/bin/env bash
# deps.sh run|test: install the Debian/Ubuntu packages Apuri needs to build (Fyne's cgo build)
# and, for "test", to run every test (Xvfb, D-Bus, network namespaces, a DNS server, and an
# HTML validator and a headless browser for the web page, Prometheus and Alertmanager for the
# fleet).
# As root it installs what is missing; otherwise it prints the one apt-get line needed.
set -euo pipefail
mode=${1:-run}

build_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev)
run_pkgs=(dbus-x11 xdg-utils libglib2.0-bin)
test_pkgs=(xvfb x11-utils xdotool dbus dbus-x11 dconf-service dconf-gsettings-backend gsettings-desktop-schemas iproute2 dnsmasq-base nftables procps gnome-keyring request-tracker5 rt5-db-sqlite rt5-standalone appstream desktop-file-utils gcc-mingw-w64-x86-64 msitools wixl wine wine64
  tidy chromium prometheus prometheus-alertmanager)

pkgs=("${build_pkgs[@]}" "${run_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

if ! command -v go >/dev/null 2>&1; then
  echo "Go is not installed: install Go 1.21 or newer (it fetches the toolchain go.mod names)." >&2
  exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps.sh: not a Debian/Ubuntu system; install the equivalents of: ${pkgs[*]}" >&2
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing packages. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
