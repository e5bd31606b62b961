import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { staticAssetHandler, type StaticAsset } from './static-assets.ts';

/**
 * GraphiQL served entirely from our own node_modules, so the IDE works with no internet (no CDN). GraphiQL 3
 * ships a UMD build; React 18 ships UMD builds too.
 */
const require = createRequire(import.meta.url);

/** A package's folder, found from its entry point: these packages' `exports` hide their UMD files. */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot locate package ${name}`);
    dir = parent;
  }
  return dir;
}

const ASSETS: Record<string, StaticAsset> = {
  '/ide/react.js': { file: join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript' },
  '/ide/react-dom.js': { file: join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  '/ide/graphiql.js': { file: join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  '/ide/graphiql.css': { file: join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

export const IDE_ASSET_PATHS = Object.keys(ASSETS);

export const serveIdeAsset = staticAssetHandler(ASSETS, { 'cache-control': 'public, max-age=86400' });

const EXAMPLE = `# Products with live offers from every supplier
{
  products(first: 5) {
    sku
    title
    stock { available }
    offers {
      __typename
      supplier { name }
      available
      cost { amount currency }
      leadTimeDays
    }
  }
}
`;

export function ideHtml(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Dropship graph — GraphiQL</title>
<link rel="stylesheet" href="/ide/graphiql.css">
<style>html,body,#ide{height:100%;margin:0}</style>
</head>
<body>
<div id="ide">Loading GraphiQL…</div>
<script src="/ide/react.js"></script>
<script src="/ide/react-dom.js"></script>
<script src="/ide/graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  ReactDOM.createRoot(document.getElementById('ide')).render(
    React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE)}, defaultEditorToolsVisibility: true })
  );
</script>
</body>
</html>`;
}
