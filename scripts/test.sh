#!/usr/bin/env bash
# `npm test`: generated files fresh → typecheck → every vitest suite, with the integration suites pointed at real
# Redis and FerretDB. Ends with one plain line, `tests: N passed, N failed, N skipped`, and exits non-zero on any
# failure; with CI=true also on any skipped test (a skipped suite is a suite that did not run).
#
# Services: MONGO_URL / REDIS_URL from the environment when set; otherwise scripts/test-services.sh starts them
# (and this script stops them again if it was the one that started them). If they cannot be started, or
# TEST_SERVICES=off, the in-memory suites still run and a banner names the integration suites that were skipped.
#
#   scripts/test.sh [vitest filters...]   e.g. scripts/test.sh test/integration
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WORK="$(mktemp -d)"
STARTED_SERVICES=0
cleanup() {
  if [ "$STARTED_SERVICES" = 1 ]; then bash scripts/test-services.sh stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }
banner() {
  printf '\n%s\n' '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
  for line in "$@"; do printf '!!  %s\n' "$line"; done
  printf '%s\n\n' '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
}

problems=()

# 1. Generated files (codegen output, supergraph) must match their sources.
if [ -f scripts/check-generated.sh ]; then
  step 'generated files are fresh (scripts/check-generated.sh)'
  bash scripts/check-generated.sh || problems+=('generated files are stale: run npm run codegen && npm run compose')
fi

# 2. Types. Tests still run after a type error, so one run shows everything that is wrong.
step 'typecheck (tsc --noEmit)'
npx tsc --noEmit -p tsconfig.json || problems+=('typecheck failed')

# 3. Services for the integration suites.
step 'test services'
if [ "${TEST_SERVICES:-}" = off ]; then
  echo 'TEST_SERVICES=off: not starting services'
elif [ -z "${MONGO_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
  already_running=0
  bash scripts/test-services.sh env >/dev/null 2>&1 && already_running=1
  if services_env="$(bash scripts/test-services.sh start)"; then
    [ "$already_running" = 0 ] && STARTED_SERVICES=1
    while IFS= read -r line; do
      case "$line" in
        'export MONGO_URL='*) [ -n "${MONGO_URL:-}" ] || export "${line#export }" ;;
        'export REDIS_URL='*) [ -n "${REDIS_URL:-}" ] || export "${line#export }" ;;
      esac
    done <<<"$services_env"
  fi
fi
skipped_layers=()
[ -n "${MONGO_URL:-}" ] || skipped_layers+=('MONGO_URL unset: MongoDB-protocol store suites (test/integration/*mongo*) WILL BE SKIPPED')
[ -n "${REDIS_URL:-}" ] || skipped_layers+=('REDIS_URL unset: Redis cache / event-bus suites (test/integration/*redis*) WILL BE SKIPPED')
if [ "${#skipped_layers[@]}" -gt 0 ]; then
  banner 'INTEGRATION SERVICES UNAVAILABLE' "${skipped_layers[@]}" \
    'Start them with: bash scripts/test-services.sh start   (see docs/testing.md)'
else
  echo 'MONGO_URL and REDIS_URL are set: integration suites will run'
fi

# 4. Every vitest suite. Two workers: the machines have two cores and the integration suites share one server.
step 'vitest'
report="$WORK/vitest.json"
npx vitest run --maxWorkers=2 --reporter=default --reporter=json --outputFile.json="$report" "$@"
vitest_status=$?

summary="$(node - "$report" <<'EOF'
const fs = require('node:fs');
const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.log('0 0 0 0');
  process.exit(0);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
let passed = 0, failed = 0, skipped = 0, brokenFiles = 0;
const skippedByFile = new Map();
for (const file of r.testResults ?? []) {
  let fileFailed = 0;
  const name = file.name.replace(process.cwd() + '/', '');
  for (const t of file.assertionResults ?? []) {
    if (t.status === 'passed') passed += 1;
    else if (t.status === 'failed') { failed += 1; fileFailed += 1; }
    else { skipped += 1; skippedByFile.set(name, (skippedByFile.get(name) ?? 0) + 1); }
  }
  // A file that failed to load or whose hooks threw has no failed test of its own: count it once.
  if (file.status === 'failed' && fileFailed === 0) { failed += 1; brokenFiles += 1; }
}
for (const [name, count] of skippedByFile) console.error(`skipped: ${count} test(s) in ${name}`);
console.log(`${passed} ${failed} ${skipped} ${brokenFiles}`);
EOF
)"
read -r passed failed skipped broken <<<"$summary"

[ "$vitest_status" = 0 ] || problems+=("vitest exited with status $vitest_status")
[ "$broken" = 0 ] || problems+=("$broken test file(s) failed outside any test (load error or failing hook)")
[ $((passed + failed)) -gt 0 ] || problems+=('no test ran')
if [ "$skipped" -gt 0 ]; then
  banner "$skipped TEST(S) SKIPPED (files listed above)" "${skipped_layers[@]+"${skipped_layers[@]}"}"
  [ "${CI:-}" = true ] && problems+=("$skipped test(s) skipped, and CI allows none")
fi

for p in "${problems[@]+"${problems[@]}"}"; do echo "FAILED: $p"; done
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "${#problems[@]}" -eq 0 ] && [ "$failed" = 0 ]
