#!/usr/bin/env bash
# Run a command inside a private D-Bus session with an unlocked gnome-keyring (the real Secret Service),
# with HOME in a temp dir so nothing of the machine's own keyring or config is touched.
set -euo pipefail

need=()
command -v dbus-run-session >/dev/null || need+=(dbus dbus-x11)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
if [ -n "${SLACKCTL_TEST_TOOLS:-}" ]; then  # make test's tools; make demo needs none of them
  command -v chromium >/dev/null || need+=(chromium)
  command -v tmux >/dev/null || need+=(tmux)
  command -v node >/dev/null || need+=(nodejs npm)  # the JS templates and Bolt JS tests
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${need[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing ${need[*]}: install them (apt-get install ${need[*]}) and retry" >&2
  fi
fi

if [ -z "${SLACKCTL_IN_KEYRING_SESSION:-}" ]; then
  export SLACKCTL_IN_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

tmp_home=$(mktemp -d)
trap 'rm -rf "$tmp_home"' EXIT
export HOME="$tmp_home"
export XDG_DATA_HOME="$tmp_home/.local/share" XDG_CONFIG_HOME="$tmp_home/.config" XDG_RUNTIME_DIR="$tmp_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# A throwaway password creates and unlocks the login collection for this session only.
eval "$(printf 'throwaway-test-password' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
"$@"
