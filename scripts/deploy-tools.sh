#!/usr/bin/env bash
# Offline checkers for the deployment files (test/deploy/manifests.test.ts): kustomize to render deploy/k8s/, and a
# Python venv with kubernetes-validate (Kubernetes OpenAPI schemas, shipped inside the package) and check-jsonschema
# (the Compose specification's and GitHub workflows' JSON schemas, vendored inside the package). Nothing is fetched
# at check time; installing them needs the Go module proxy and PyPI once, then both come from the cache.
#
#   scripts/deploy-tools.sh env   install what is missing, print `export KUSTOMIZE=…` and `export DEPLOY_PYTHON=…`
#
# Built tools are kept outside the work tree (like FerretDB in scripts/test-services.sh) so a fresh clone reuses them:
# ${XDG_CACHE_HOME:-~/.cache}/dropship-graph/. First install: ~45 s (go build) + ~15 s (pip) on 2 cores.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KUSTOMIZE_VERSION="v5.7.1" # newest whose module graph builds with this machine's Go (1.26); v5.8.x wants a newer Go
PY_PACKAGES=(kubernetes-validate==1.37.0 check-jsonschema==0.39.0)
BUILD_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dropship-graph"
KUSTOMIZE_BIN="$BUILD_CACHE/kustomize-$KUSTOMIZE_VERSION"
VENV="$BUILD_CACHE/deploy-venv-$(printf '%s\n' "${PY_PACKAGES[@]}" | sha256sum | cut -c1-12)"

say() { printf '[deploy-tools] %s\n' "$*" >&2; }
die() { printf '[deploy-tools] ERROR: %s\n' "$*" >&2; exit 1; }

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi

kustomize_ok() { [ -x "$KUSTOMIZE_BIN" ] && [[ "$("$KUSTOMIZE_BIN" version 2>/dev/null)" == "$KUSTOMIZE_VERSION"* ]]; }

ensure_kustomize() {
  kustomize_ok && return 0
  command -v go >/dev/null 2>&1 || die "Go is not installed: cannot build kustomize $KUSTOMIZE_VERSION (install Go, https://go.dev/dl)"
  say "building kustomize $KUSTOMIZE_VERSION from the Go module proxy (once)"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && GOTOOLCHAIN=local GOFLAGS= GOBIN="$tmp/bin" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION") >&2 ||
    { rm -rf "$tmp"; die "go install of kustomize $KUSTOMIZE_VERSION failed (see above)"; }
  mkdir -p "$BUILD_CACHE"
  mv "$tmp/bin/kustomize" "$KUSTOMIZE_BIN.tmp.$$" && mv "$KUSTOMIZE_BIN.tmp.$$" "$KUSTOMIZE_BIN"
  rm -rf "$tmp"
  kustomize_ok || die "kustomize built but does not report $KUSTOMIZE_VERSION"
}

# A venv records its own path, so it is built where it lives; `.complete` marks an install that finished.
venv_ok() { [ -f "$VENV/.complete" ] && "$VENV/bin/python" -c 'import kubernetes_validate, check_jsonschema, yaml' 2>/dev/null; }

ensure_venv() {
  venv_ok && return 0
  command -v python3 >/dev/null 2>&1 || die "python3 is not installed (apt-get install -y python3 python3-venv)"
  say "installing ${PY_PACKAGES[*]} from PyPI into $VENV (once)"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install -y python3-venv)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}" >&2 || die "pip install failed (see above)"
  touch "$VENV/.complete"
  venv_ok || die "the venv at $VENV does not import kubernetes_validate, check_jsonschema and yaml"
}

case "${1:-}" in
  env)
    mkdir -p "$BUILD_CACHE"
    # One installer at a time (two test files, or two engineers, may ask at once).
    exec 9>"$BUILD_CACHE/deploy-tools.lock"
    flock 9
    ensure_kustomize
    ensure_venv
    printf 'export KUSTOMIZE=%q\nexport DEPLOY_PYTHON=%q\n' "$KUSTOMIZE_BIN" "$VENV/bin/python"
    ;;
  *)
    echo "usage: $0 env" >&2
    exit 2
    ;;
esac
