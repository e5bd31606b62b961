#!/usr/bin/env bash
# `npm run build`: compile the production code to dist/ (tsconfig.build.json) and copy beside it the files the code
# reads relative to its own module (schema SDL, subscription manifests, WSDL/XSD, config/suppliers.json), so
# `node dist/bin/start.js` and `node dist/bin/serve.js <role>` run without TypeScript.
#
#   scripts/build.sh [outDir]   default dist/
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-dist}"

rm -rf "$OUT"
npx tsc -p tsconfig.build.json --outDir "$OUT"
# Everything but TypeScript sources and tests under the folders that ship; config/ is data only.
for dir in adapters gateway subgraphs sandboxes platform bin schema stack config; do
  [ -d "$dir" ] || continue
  find "$dir" -type f ! -name '*.ts' ! -name '*.test.*' -print0 | xargs -0 -r cp --parents -t "$OUT"
done
echo "built $OUT/ ($(find "$OUT" -name '*.js' | wc -l) modules)"
