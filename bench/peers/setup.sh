#!/usr/bin/env bash
# Installs the comparison relays of bench/run-comparison.sh from their registries:
#   socketio: npm socket.io, exactly as pinned in bench/peers/socketio/package-lock.json (npm ci)
#   flask:    Debian python3-flask-socketio and python3-eventlet (apt, needs root)
# A peer that cannot be installed is reported as MISSING and the script exits non-zero; the
# comparison then reports it as missing too, it never skips it silently.
set -uo pipefail
peers="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
missing=()

echo "== socket.io relay (npm)"
if command -v npm >/dev/null && (cd "$peers/socketio" && npm ci --no-audit --no-fund); then
  echo "socket.io $(node -p "require('$peers/socketio/node_modules/socket.io/package.json').version") installed"
else
  missing+=("socketio (needs node and npm, and the npm registry)")
fi

echo "== Flask-SocketIO relay (apt)"
if /usr/bin/python3 -c 'import flask_socketio, eventlet' 2>/dev/null; then
  echo "python3-flask-socketio already installed"
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] \
    && apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-flask-socketio python3-eventlet \
    && /usr/bin/python3 -c 'import flask_socketio, eventlet'; then
  echo "python3-flask-socketio installed"
else
  missing+=("flask (needs root and apt: apt-get install python3-flask-socketio python3-eventlet)")
fi

if [ ${#missing[@]} -gt 0 ]; then
  for peer in "${missing[@]}"; do echo "MISSING peer: $peer" >&2; done
  exit 1
fi
echo "all peers installed"
