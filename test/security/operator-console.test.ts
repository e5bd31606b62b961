/**
 * The operator console (issue 16) in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), on a
 * running stack with its bundled sandboxes in AUTH_MODE=required:
 * - an admin token signs in and sees every supplier's status, a live stock change (the Brightline sandbox changes
 *   its figure and posts its signed webhook: the production path), a reconciliation run and webhook deliveries;
 * - an order needing attention made through the production path — a lost acknowledgement with the supplier down
 *   right after (sandbox fault knobs) — is retried from the console and ends SUBMITTED; an order every supplier
 *   refused is cancelled from the console and leaves the list;
 * - a partner token is refused by the graph (the page shows the gateway's FORBIDDEN, and no data);
 * - the page loads nothing from anywhere but the gateway (works offline).
 * Screenshots go to docs/images/ (docs/operations.md, "Operator console").
 * In the heavy group (test/security/**): a full stack and a browser, one file at a time.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { RestSandbox } from '../../sandboxes/rest/index.ts';
import { startSecureStack, type SecureStack } from './support.ts';

const CHROMIUM = '/usr/bin/chromium';
// The committed screenshots (docs/operations.md) are rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run
// leaves the work tree clean; otherwise they go to a temporary folder (still taken: a page that cannot render fails).
const SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? join(import.meta.dirname, '../../docs/images') : mkdtempSync(join(tmpdir(), 'console-shots-'));
const SHIP_TO = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
const BREAKER_OPEN_MS = 1_000;
const UI_TIMEOUT_MS = 15_000;

describe('operator console in headless Chromium', () => {
  let secure: SecureStack;
  let context: BrowserContext;
  let profile: string;
  let receiver: Server;
  let adminToken: string;
  let partnerToken: string;
  const outside: string[] = [];
  /** The page's console and uncaught errors: shown when an expectation fails. */
  const browserLog: string[] = [];

  /** A merchant endpoint for the order webhooks: refuses the first delivery (a retry to show), takes the rest. */
  async function startReceiver(): Promise<string> {
    let seen = 0;
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead((seen += 1) === 1 ? 503 : 204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  }

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const { json } = await secure.query(adminToken, { query, variables });
    expect(json.errors, JSON.stringify(json.errors)).toBeUndefined();
    return json.data;
  };

  async function openConsole(token: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('console', (message) => browserLog.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => browserLog.push(`pageerror: ${error.message}`));
    onTestFailed(() => console.error(`the page's console:\n${browserLog.join('\n')}`));
    // Offline: anything not served by the gateway itself is recorded and refused.
    const origin = new URL(secure.url).origin;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith(origin.replace('http', 'ws'))) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(`${origin}/console`);
    await page.fill('#token', token);
    await page.click('#login button[type=submit]');
    return page;
  }

  /** A seeded product and what routing would choose for it now (through the graph, as a client would ask). */
  async function productRoutedTo(): Promise<{ sku: string; supplier: string }> {
    const products = (await secure.stack.stores.catalog.list(50, null)).items;
    for (const product of products) {
      const preview = await gql(`query($input: PlaceOrderInput!) { previewOrderRouting(input: $input) { routable lines { parts { supplier } } } }`, {
        input: { idempotencyKey: 'preview', shipTo: SHIP_TO, lines: [{ sku: product.sku, quantity: 1 }] },
      });
      const parts = preview.previewOrderRouting.lines[0].parts;
      if (preview.previewOrderRouting.routable && parts.length === 1) return { sku: product.sku, supplier: parts[0].supplier };
    }
    throw new Error('no routable seeded product');
  }

  beforeAll(async () => {
    const hooks = await startReceiver();
    secure = await startSecureStack({
      SUPPLIER_BREAKER_OPEN_MS: String(BREAKER_OPEN_MS),
      ORDER_WEBHOOK_ENDPOINTS: JSON.stringify([{ id: 'merchant-1', tenant: 'ops', url: hooks, secret: `whsec_${randomBytes(32).toString('base64')}`, events: ['order.status_changed'] }]),
    });
    adminToken = (await secure.issue('ops', ['admin'])).token;
    partnerToken = (await secure.issue('acme', ['catalog:read', 'inventory:read', 'orders:read', 'orders:write'])).token;
    profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await secure?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  }, 30_000);

  it('an admin sees the suppliers and live stock, and retries and cancels orders needing attention', async () => {
    // A reconciliation run with something to correct: Brightline's figure drifts silently, the run finds and fixes it.
    const products = (await secure.stack.stores.catalog.list(50, null)).items;
    const brightlineMapping = products.flatMap((p) => p.suppliers.map((m) => ({ sku: p.sku, ...m }))).find((m) => m.supplier === 'brightline')!;
    const brightline = secure.stack.sandboxes.get('brightline') as RestSandbox;
    brightline.driftStock(brightlineMapping.supplierSku, (brightline.stockOf(brightlineMapping.supplierSku) ?? 0) + 50);
    const run = await secure.stack.sync.reconcileNow();
    expect(run.suppliers.find((s) => s.supplier === 'brightline')?.corrected).toBeGreaterThan(0);

    // An order needing attention through the production path: the supplier stores it, the answer is lost, and the
    // supplier goes down right after, so every resend and the read-back go unanswered: SUBMITTING with a last error.
    const target = await productRoutedTo();
    const sandbox = secure.stack.sandboxes.get(target.supplier)!;
    sandbox.setFaults({ lostAck: { count: 1, thenDown: true } });
    const lost = (await gql(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status subOrders { state lastError } } }`, {
      input: { idempotencyKey: `console-lost-${Date.now()}`, shipTo: SHIP_TO, lines: [{ sku: target.sku, quantity: 1 }] },
    })).placeOrder;
    expect(lost.subOrders[0]).toMatchObject({ state: 'SUBMITTING' });

    // A second one every supplier refuses: REJECTED, its line needing attention. After the outage's breaker pause, so
    // the refusals are the suppliers' answers, not our open circuit.
    await new Promise((resolve) => setTimeout(resolve, BREAKER_OPEN_MS + 200));
    for (const box of secure.stack.sandboxes.values()) box.setFaults({ rejectRate: 1, down: false, lostAck: null });
    const refused = (await gql(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status lines { needsAttention } } }`, {
      input: { idempotencyKey: `console-refused-${Date.now()}`, shipTo: SHIP_TO, lines: [{ sku: target.sku, quantity: 1 }] },
    })).placeOrder;
    expect(refused.status).toBe('REJECTED');
    for (const box of secure.stack.sandboxes.values()) box.resetFaults();

    const page = await openConsole(adminToken);
    await page.waitForSelector('#app:not([hidden])');
    await expect.poll(() => page.textContent('#status'), { timeout: UI_TIMEOUT_MS }).toContain('Signed in as');

    // Suppliers: one card each, with health, breaker, quota, p95, error rate and the last error.
    for (const slug of ['brightline', 'harborpromo', 'maplecart']) await page.waitForSelector(`#suppliers article[data-supplier="${slug}"]`);
    const faulted = page.locator(`#suppliers article[data-supplier="${target.supplier}"]`);
    await expect.poll(() => faulted.locator('.last-error').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('SUPPLIER_REJECTED');
    // Beside our code, the supplier's own (its HTTP status and error code, SOAP fault or GraphQL error code).
    expect(await faulted.locator('.last-error .supplier-code').textContent()).toMatch(/\S/);
    expect(await faulted.locator('.p95').textContent()).toMatch(/\d+ ms/);
    expect(await faulted.locator('.error-rate').textContent()).toMatch(/%/);
    expect(await faulted.locator('svg.chart rect').count()).toBeGreaterThan(0);

    // Reconciliation and webhook deliveries are there too.
    await page.waitForSelector('#reconciliation .runs tbody tr');
    await page.waitForSelector(`#reconciliation .discrepancies tbody tr:has-text("${brightlineMapping.supplierSku}")`);
    await page.waitForSelector('#webhooks tbody tr');

    // A live stock change: the Brightline sandbox changes its figure and posts its signed webhook.
    await expect.poll(() => page.textContent('#live-state'), { timeout: UI_TIMEOUT_MS }).toBe('live');
    await expect.poll(() => secure.stack.gateway.subscriptions!.subscribers, { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(0);
    brightline.setStock(brightlineMapping.supplierSku, 41);
    await brightline.webhooksIdle();
    const row = page.locator(`#stock tbody tr[data-sku="${brightlineMapping.sku}"][data-supplier="brightline"]`).first();
    await row.waitFor();
    // Sellable units: the supplier's 41 less our buffer, as stored by the one update path.
    await expect.poll(async () => (await secure.stack.stores.stock.get(brightlineMapping.sku, 'brightline'))?.onHand, { timeout: UI_TIMEOUT_MS }).toBe(41);
    const stored = (await secure.stack.stores.stock.get(brightlineMapping.sku, 'brightline'))!;
    expect(await row.locator('.available').textContent()).toMatch(new RegExp(`→ ${stored.available}$`));

    // Both orders are listed with their actions.
    const lostRow = page.locator(`#attention tr[data-order="${lost.id}"]`);
    const refusedRow = page.locator(`#attention tr[data-order="${refused.id}"]`);
    await lostRow.waitFor();
    await refusedRow.waitFor();
    expect(await lostRow.locator('button').allTextContents()).toEqual(['Retry', 'Cancel']);
    expect(await refusedRow.locator('button').allTextContents()).toEqual(['Re-route', 'Cancel']);
    await page.screenshot({ path: join(SCREENSHOTS, 'operator-console.png'), fullPage: true });

    // Retry: the supplier is back and its breaker half-opens; the resend meets its duplicate answer, read back: SUBMITTED.
    await new Promise((resolve) => setTimeout(resolve, BREAKER_OPEN_MS + 200));
    await lostRow.locator('button[data-action=RETRY]').click();
    await expect.poll(() => page.textContent('#status'), { timeout: UI_TIMEOUT_MS }).toMatch(new RegExp(`Retry ${lost.id}: now (SUBMITTED|ACCEPTED)`));
    await lostRow.waitFor({ state: 'detached' });
    const retried = (await gql(`query($id: ID!) { order(id: $id) { status subOrders { state lastError } } }`, { id: lost.id })).order;
    expect(retried.subOrders).toEqual([expect.objectContaining({ state: 'SUBMITTED', lastError: null })]);

    // Cancel: the refused line is dropped, the order CANCELLED and off the list.
    await refusedRow.locator('button[data-action=CANCEL]').click();
    await expect.poll(() => page.textContent('#status'), { timeout: UI_TIMEOUT_MS }).toContain(`Cancel ${refused.id}: now CANCELLED`);
    await refusedRow.waitFor({ state: 'detached' });
    await page.screenshot({ path: join(SCREENSHOTS, 'operator-console-after-actions.png'), fullPage: true });
    await page.close();
    expect(outside).toEqual([]);
  }, 80_000);

  it('refuses a partner token: the gateway says FORBIDDEN and the page shows no data', async () => {
    const page = await openConsole(partnerToken);
    await expect.poll(() => page.textContent('#status'), { timeout: UI_TIMEOUT_MS }).toMatch(/Refused by the graph: FORBIDDEN \(missing scope: admin\)/);
    expect(await page.locator('#app').isHidden()).toBe(true);
    expect(await page.locator('#suppliers article').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'operator-console-partner-refused.png') });
    await page.close();
    expect(outside).toEqual([]);
  }, 30_000);
});
