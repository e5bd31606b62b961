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
# Everything but TypeScript sources and tests under the folders that ship (those tsc compiled into $OUT, whether
# listed in tsconfig.build.json or reached by an import), and config/, which is data only.
for dir in $(cd "$OUT" && find . -mindepth 1 -maxdepth 1 -type d -printf '%f\n') config; do
  [ -d "$dir" ] || continue
  find "$dir" -type f ! -name '*.ts' ! -name '*.test.*' -print0 | xargs -0 -r cp --parents -t "$OUT"
done
echo "built $OUT/ ($(find "$OUT" -name '*.js' | wc -l) modules)"
