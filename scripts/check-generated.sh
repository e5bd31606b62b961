#!/usr/bin/env bash
# Fails when committed generated files are stale: the registry-driven SDL, schema/supergraph.graphql, the client
# schema (schema/client/) and the resolver types from codegen. Leaves the working tree as it found it.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsx bin/compose.ts --check
# The partner-facing client schema and Apollo possibleTypes (schema/client/) follow the supergraph.
npx tsx bin/client-schema.ts --check

snapshot=$(mktemp -d)
trap 'rm -rf "$snapshot"' EXIT
generated=(subgraphs/*/generated/resolvers-types.ts)
for f in "${generated[@]}"; do mkdir -p "$snapshot/$(dirname "$f")"; cp "$f" "$snapshot/$f"; done
npx graphql-codegen --config codegen.ts --silent >/dev/null
stale=()
for f in "${generated[@]}"; do
  if ! cmp -s "$f" "$snapshot/$f"; then stale+=("$f"); cp "$snapshot/$f" "$f"; fi
done
if [ ${#stale[@]} -gt 0 ]; then
  echo "stale generated resolver types (run \`npm run codegen\` and commit): ${stale[*]}" >&2
  exit 1
fi
echo "codegen: generated resolver types are up to date"
