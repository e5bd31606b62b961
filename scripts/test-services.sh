#!/usr/bin/env bash
# Test services for the integration suites: Redis and FerretDB (a MongoDB-protocol server on SQLite), both on
# 127.0.0.1, state under .services/ (gitignored). Idempotent: `start` reuses servers that are already running and
# binaries that are already built.
#
#   scripts/test-services.sh start   install if missing, start if not running, print the env lines
#   scripts/test-services.sh stop    stop what `start` started
#   scripts/test-services.sh env     print export MONGO_URL=... and REDIS_URL=... lines for eval (exit 1 if not running)
#   scripts/test-services.sh status  say what runs where
#
# Why FerretDB is built by hand: `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` yields a binary that
# panics at start ("Invalid build/version/version.txt") because the module zip lacks that generated file. We copy the
# module source, write the version file, and build it ourselves. See docs/testing.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES="$ROOT/.services"
FERRETDB_VERSION="v1.24.2"
FERRETDB_MODULE="github.com/FerretDB/FerretDB"
# Built binaries are also kept outside the work tree so a fresh clone (CI) does not rebuild every time.
BUILD_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dropship-graph"
FERRETDB_BIN="$SERVICES/bin/ferretdb"

say() { printf '[test-services] %s\n' "$*" >&2; }
die() { printf '[test-services] ERROR: %s\n' "$*" >&2; exit 1; }

# Go may be installed but not on PATH in a non-login shell.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# A free TCP port on loopback, chosen by the kernel (bind to port 0), released just before the server takes it.
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

wait_port() { # port seconds name logfile
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    port_open "$1" && return 0
    sleep 0.1
  done
  [ -f "$4" ] && tail -n 20 "$4" >&2
  die "$3 did not accept connections on 127.0.0.1:$1 within $2 s"
}

# Reads .services/<name>.pid and .services/<name>.port; succeeds when that server is alive and listening.
running() {
  local pid port
  pid="$(cat "$SERVICES/$1.pid" 2>/dev/null || true)"
  port="$(cat "$SERVICES/$1.port" 2>/dev/null || true)"
  pid_alive "$pid" && [ -n "$port" ] && port_open "$port"
}

apt_install() { # package...
  [ "$(id -u)" = 0 ] || die "need $* but not running as root; install them (apt-get install -y $*) and retry"
  command -v apt-get >/dev/null 2>&1 || die "need $* and there is no apt-get; install them by hand"
  say "installing $* from Debian packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_packages() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils) # the SOAP tests validate XML with it
  command -v openssl >/dev/null 2>&1 || missing+=(openssl) # the TLS pinning tests make self-signed certificates
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus) # alert rules: promtool tests and a real Prometheus scrape
  command -v chromium >/dev/null 2>&1 || missing+=(chromium) # the operator console's browser tests (playwright-core)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
}

ferretdb_ok() { # binary
  local out
  [ -x "$1" ] || return 1
  out="$("$1" --version 2>/dev/null)" || return 1 # the broken `go install` build panics here
  [[ "$out" == *"version: $FERRETDB_VERSION"* ]]
}

build_ferretdb() {
  command -v go >/dev/null 2>&1 || die "$(printf '%s\n' \
    '*****************************************************************' \
    'Go is not installed: cannot build FerretDB for the MongoDB suites.' \
    'Install Go (https://go.dev/dl) or point MONGO_URL at a MongoDB-protocol server.' \
    'Documented fallback: mongo-java-server from Maven Central (docs/testing.md).' \
    '*****************************************************************')"
  local src tmp
  say "building FerretDB $FERRETDB_VERSION (once; ~5-60 s)"
  src="$(cd / && GOTOOLCHAIN=local GOFLAGS= go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -n "$src" ] && [ -d "$src" ] || die "go mod download $FERRETDB_MODULE@$FERRETDB_VERSION gave no source directory"
  tmp="$(mktemp -d)"
  cp -R "$src/." "$tmp/"
  chmod -R u+w "$tmp"
  # The generated file the module zip lacks; without it the binary panics at start.
  printf '%s' "$FERRETDB_VERSION" >"$tmp/build/version/version.txt"
  mkdir -p "$SERVICES/bin"
  if ! (cd "$tmp" && GOTOOLCHAIN=local GOFLAGS= go build -buildvcs=false -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb); then
    rm -rf "$tmp"
    die "go build of FerretDB failed (see above)"
  fi
  rm -rf "$tmp"
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  ferretdb_ok "$FERRETDB_BIN" || die "the FerretDB binary built but does not report $FERRETDB_VERSION"
  mkdir -p "$BUILD_CACHE" && cp "$FERRETDB_BIN" "$BUILD_CACHE/ferretdb-$FERRETDB_VERSION.tmp" &&
    mv "$BUILD_CACHE/ferretdb-$FERRETDB_VERSION.tmp" "$BUILD_CACHE/ferretdb-$FERRETDB_VERSION" || true
}

ensure_ferretdb() {
  ferretdb_ok "$FERRETDB_BIN" && return 0
  if ferretdb_ok "$BUILD_CACHE/ferretdb-$FERRETDB_VERSION"; then
    mkdir -p "$SERVICES/bin"
    cp "$BUILD_CACHE/ferretdb-$FERRETDB_VERSION" "$FERRETDB_BIN"
    return 0
  fi
  build_ferretdb
}

start_redis() {
  if running redis; then return 0; fi
  local port dir
  port="$(free_port)"
  dir="$SERVICES/redis"
  mkdir -p "$dir"
  # No persistence: test data is disposable, and a dump would only slow the suites down.
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$SERVICES/redis.pid" --logfile "$SERVICES/redis.log" >/dev/null
  echo "$port" >"$SERVICES/redis.port"
  wait_port "$port" 10 Redis "$SERVICES/redis.log"
  # --daemonize writes the pidfile a moment after the port opens.
  for _ in $(seq 50); do [ -s "$SERVICES/redis.pid" ] && break; sleep 0.1; done
  say "Redis on 127.0.0.1:$port"
}

start_ferretdb() {
  if running ferretdb; then return 0; fi
  local port dir
  port="$(free_port)"
  dir="$SERVICES/ferretdb"
  rm -rf "$dir" && mkdir -p "$dir/data" # a fresh database per start: suites drop their own anyway
  nohup "$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$dir/data/" --state-dir="$dir" \
    --listen-addr="127.0.0.1:$port" --telemetry=disable --debug-addr=- --log-level=warn \
    >"$SERVICES/ferretdb.log" 2>&1 </dev/null &
  echo $! >"$SERVICES/ferretdb.pid"
  echo "$port" >"$SERVICES/ferretdb.port"
  wait_port "$port" 30 FerretDB "$SERVICES/ferretdb.log"
  say "FerretDB $FERRETDB_VERSION on 127.0.0.1:$port"
}

print_env() {
  running ferretdb || return 1
  running redis || return 1
  # `export` lines, so `eval "$(scripts/test-services.sh env)"` hands them to child processes too.
  echo "export MONGO_URL=mongodb://127.0.0.1:$(cat "$SERVICES/ferretdb.port")/"
  echo "export REDIS_URL=redis://127.0.0.1:$(cat "$SERVICES/redis.port")"
}

stop_one() { # name
  local pid
  pid="$(cat "$SERVICES/$1.pid" 2>/dev/null || true)"
  if pid_alive "$pid"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do pid_alive "$pid" || break; sleep 0.1; done
    pid_alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    say "stopped $1 (pid $pid)"
  fi
  rm -f "$SERVICES/$1.pid" "$SERVICES/$1.port"
}

case "${1:-}" in
  start)
    mkdir -p "$SERVICES"
    ensure_packages
    ensure_ferretdb
    start_redis
    start_ferretdb
    print_env
    ;;
  stop)
    stop_one ferretdb
    stop_one redis
    ;;
  env)
    print_env || die "services are not running; run: scripts/test-services.sh start"
    ;;
  status)
    for s in redis ferretdb; do
      if running "$s"; then echo "$s: running on 127.0.0.1:$(cat "$SERVICES/$s.port")"; else echo "$s: stopped"; fi
    done
    ;;
  *)
    echo "usage: $0 start|stop|env|status" >&2
    exit 2
    ;;
esac
