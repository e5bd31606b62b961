import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { staticAssetHandler, type StaticAsset } from '../static-assets.ts';

/**
 * The operator console (docs/operations.md, "Operator console"): one static page and its scripts, served by the
 * gateway from this folder and node_modules, so it works with no internet (no CDN), like the IDE. The page holds no
 * data and no secret: everything it shows it asks the graph for, over /graphql and graphql-ws, with the token the
 * operator pastes in, so the graph's own checks (admin scope) decide what it may see — a partner token is refused
 * by the gateway, not by the page.
 */
const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

const ASSETS: Readonly<Record<string, StaticAsset>> = {
  '/console/console.js': { file: join(here, 'assets/console.js'), type: 'text/javascript' },
  '/console/charts.js': { file: join(here, 'assets/charts.js'), type: 'text/javascript' },
  '/console/console.css': { file: join(here, 'assets/console.css'), type: 'text/css' },
  // graphql-ws's own browser build (already a dependency of the gateway): the live stock feed's client.
  '/console/graphql-ws.js': { file: join(dirname(require.resolve('graphql-ws/package.json')), 'umd/graphql-ws.min.js'), type: 'text/javascript' },
};

/**
 * Only our own files: scripts, styles and sockets from this origin, no inline script, no framing. Text the graph
 * returns (supplier codes, reasons) is put on the page as text, never as markup, so it cannot run either.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dropship graph — operator console</title>
<link rel="stylesheet" href="/console/console.css">
</head>
<body>
<header>
  <h1>Operator console</h1>
  <form id="login" autocomplete="off">
    <label for="token">Admin token</label>
    <input id="token" name="token" type="password" placeholder="dsk_… or a JWT with the admin scope (empty: AUTH_MODE=dev on loopback)">
    <button type="submit">Sign in</button>
    <button type="button" id="logout" hidden>Sign out</button>
  </form>
  <p id="status" role="status">Paste an admin token to start. Every figure here comes from the graph with that token.</p>
</header>
<main id="app" hidden>
  <section id="suppliers" aria-labelledby="h-suppliers"><h2 id="h-suppliers">Suppliers</h2><div class="cards"></div></section>
  <section id="stock" aria-labelledby="h-stock"><h2 id="h-stock">Live stock <span class="live" id="live-state">connecting…</span></h2><svg id="stock-chart" class="chart" role="img" aria-label="stock changes per supplier"></svg><table><thead><tr><th>When</th><th>Supplier</th><th>SKU</th><th>Product</th><th>Available</th><th>Change</th><th>Source</th></tr></thead><tbody></tbody></table></section>
  <section id="attention" aria-labelledby="h-attention"><h2 id="h-attention">Orders needing attention</h2><p class="note" id="attention-note"></p><table><thead><tr><th>Since</th><th>Tenant</th><th>Order</th><th>Status</th><th>Why</th><th>Sub-orders</th><th>Actions</th></tr></thead><tbody></tbody></table></section>
  <section id="reconciliation" aria-labelledby="h-recon"><h2 id="h-recon">Reconciliation</h2><svg id="recon-chart" class="chart" role="img" aria-label="reconciliation runs"></svg><table class="runs"><thead><tr><th>Started</th><th>Status</th><th>Checked</th><th>Discrepancies</th><th>Corrected</th><th>Suppliers</th></tr></thead><tbody></tbody></table><h3>Discrepancies of the latest run</h3><table class="discrepancies"><thead><tr><th>Supplier</th><th>SKU</th><th>Ours</th><th>Theirs</th><th>Difference</th><th>Resolution</th></tr></thead><tbody></tbody></table></section>
  <section id="webhooks" aria-labelledby="h-webhooks"><h2 id="h-webhooks">Order webhook deliveries</h2><svg id="webhook-chart" class="chart small" role="img" aria-label="deliveries by outcome"></svg><table><thead><tr><th>Created</th><th>Tenant</th><th>Event</th><th>Endpoint</th><th>State</th><th>Attempts</th></tr></thead><tbody></tbody></table></section>
</main>
<script src="/console/graphql-ws.js"></script>
<script type="module" src="/console/console.js"></script>
</body>
</html>`;

function serveConsolePage(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(PAGE);
}

const serveConsoleAsset = staticAssetHandler(ASSETS, { 'cache-control': 'no-cache', ...SECURITY_HEADERS });

/** The console's routes, for the gateway's route table: GET /console and its assets. */
export function consoleRoutes(): Record<string, (req: IncomingMessage, res: ServerResponse) => void> {
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = { '/console': serveConsolePage, '/console/': serveConsolePage };
  for (const path of Object.keys(ASSETS)) routes[path] = serveConsoleAsset;
  return routes;
}
