import { createHash, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { createTestPki, startHttpsServer, type TestHttpsServer, type TestPki } from '../../test/support/tls-cert.ts';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import { createOutboundPolicy, isLoopbackHost, pinMismatchIn, type OutboundPolicy } from './outbound-policy.ts';

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!isRegistryError(outcome)) throw new Error(`expected a RegistryError, got ${String(outcome)}`);
  return outcome;
}

const WRONG_PIN = createHash('sha256').update('not a key').digest('base64');

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['[::1]', true],
    [new URL('http://[::ffff:127.0.0.1]/').hostname, true],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
    ['[::2]', false],
    ['localhost.example.com', false],
    ['api.brightline.example', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('outbound policy: which URLs may be called', () => {
  const strict = createOutboundPolicy({ supplier: 'acme' });
  const sandbox = createOutboundPolicy({ supplier: 'acme', allowLoopbackHttp: true });
  afterAll(async () => {
    await strict.close();
    await sandbox.close();
  });

  it('allows https anywhere', () => {
    expect(strict.check('https://api.acme.example/v1').host).toBe('api.acme.example');
  });

  it('refuses plain http to a non-loopback host, even when loopback http is allowed', () => {
    for (const policy of [strict, sandbox]) {
      expect(() => policy.check('http://api.acme.example/v1')).toThrowError(expect.objectContaining({ code: 'MISCONFIGURED', errorClass: 'critical' }));
    }
  });

  it('allows plain http to loopback only when explicitly allowed', () => {
    expect(() => strict.check('http://127.0.0.1:8080/')).toThrowError(expect.objectContaining({ code: 'MISCONFIGURED' }));
    expect(sandbox.check('http://127.0.0.1:8080/').port).toBe('8080');
  });

  it('refuses other schemes and non-URLs', () => {
    expect(() => sandbox.check('ftp://127.0.0.1/')).toThrowError(expect.objectContaining({ code: 'MISCONFIGURED' }));
    expect(() => sandbox.check('not a url')).toThrowError(expect.objectContaining({ code: 'MISCONFIGURED' }));
  });

  it('refuses plain http to a pinned supplier, loopback or not', async () => {
    const pinned = createOutboundPolicy({ supplier: 'acme', allowLoopbackHttp: true, pins: [WRONG_PIN] });
    expect(() => pinned.check('http://127.0.0.1:8080/')).toThrowError(expect.objectContaining({ code: 'MISCONFIGURED' }));
    await pinned.close();
  });

  it('refuses a malformed pin at creation', () => {
    expect(() => createOutboundPolicy({ supplier: 'acme', pins: ['abc'] })).toThrowError(expect.objectContaining({ code: 'MISCONFIGURED' }));
  });
});

describe('outbound policy: a refused URL opens no socket', () => {
  let server: Server;
  let connections = 0;
  let port = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fails loopback http before connecting when it is not allowed', async () => {
    const policy = createOutboundPolicy({ supplier: 'acme' });
    const error = await failure(policy.fetch(`http://127.0.0.1:${port}/`, { method: 'GET' }));
    expect(error.code).toBe('MISCONFIGURED');
    expect(connections).toBe(0);
    await policy.close();
  });

  it('fails http to a routable host at once, without DNS or a connection attempt', async () => {
    const policy = createOutboundPolicy({ supplier: 'acme', allowLoopbackHttp: true });
    const started = performance.now();
    // 10.255.255.1 does not answer and `.invalid` never resolves: either would hang or fail differently if tried.
    expect((await failure(policy.fetch('http://10.255.255.1:9/', { method: 'GET' }))).code).toBe('MISCONFIGURED');
    expect((await failure(policy.fetch('http://supplier.invalid/', { method: 'GET' }))).code).toBe('MISCONFIGURED');
    expect(performance.now() - started).toBeLessThan(500);
    await policy.close();
  });
});

describe('outbound policy: TLS 1.2+ and SPKI pinning against a real HTTPS server', () => {
  let pki: TestPki;
  let server: TestHttpsServer;
  const policies: OutboundPolicy[] = [];
  const policy = (options: Omit<Parameters<typeof createOutboundPolicy>[0], 'supplier'>) => {
    const created = createOutboundPolicy({ supplier: 'acme', ca: pki.caPem, ...options });
    policies.push(created);
    return created;
  };

  beforeAll(async () => {
    pki = createTestPki();
    server = await startHttpsServer(pki);
  });
  afterAll(async () => {
    for (const p of policies) await p.close();
    await server?.close();
  });

  it('computes pins the way the documented openssl recipe does', () => {
    const spki = new X509Certificate(pki.leafPem).publicKey.export({ type: 'spki', format: 'der' });
    expect(createHash('sha256').update(spki).digest('base64')).toBe(pki.leafPin);
  });

  it('connects with CA verification alone when no pin is configured', async () => {
    const response = await policy({}).fetch(`${server.url}/ping`, { method: 'GET' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('connects when the leaf key is pinned', async () => {
    expect((await policy({ pins: [pki.leafPin] }).fetch(`${server.url}/`, { method: 'GET' })).status).toBe(200);
  });

  it('connects when a key further up the chain (the CA) is pinned', async () => {
    expect((await policy({ pins: [pki.caPin] }).fetch(`${server.url}/`, { method: 'GET' })).status).toBe(200);
  });

  it('accepts any of several pins, so a key rotation can be rolled out', async () => {
    expect((await policy({ pins: [WRONG_PIN, pki.leafPin] }).fetch(`${server.url}/`, { method: 'GET' })).status).toBe(200);
  });

  it('fails closed on a pin mismatch: critical TLS_PIN_MISMATCH, logged, no request sent', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) });
    const before = server.requests();
    const pinned = policy({ pins: [WRONG_PIN], log });
    const error = await failure(pinned.fetch(`${server.url}/orders`, { method: 'POST', body: '{}' }));
    expect(error.code).toBe('TLS_PIN_MISMATCH');
    expect(error.errorClass).toBe('critical');
    expect(error.supplier).toBe('acme');
    expect(error.details).toMatchObject({ host: '127.0.0.1', presented: [pki.leafPin, pki.caPin] });
    expect(pinMismatchIn(error)).toBeDefined();
    expect(server.requests()).toBe(before);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(expect.objectContaining({ level: 50, supplier: 'acme', code: 'TLS_PIN_MISMATCH' }));
  });

  it('fails every new connection of a mismatched supplier, not only the first', async () => {
    const wrong = policy({ pins: [WRONG_PIN] });
    const before = server.requests();
    for (let i = 0; i < 3; i += 1) expect((await failure(wrong.fetch(`${server.url}/`, { method: 'GET' }))).code).toBe('TLS_PIN_MISMATCH');
    expect(server.requests()).toBe(before);
  });

  it('verifies certificates even when NODE_TLS_REJECT_UNAUTHORIZED=0 is inherited', async () => {
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      // No `ca`: Node's bundled roots do not know the test CA, so the handshake must fail.
      const untrusted = createOutboundPolicy({ supplier: 'acme' });
      policies.push(untrusted);
      const before = server.requests();
      await expect(untrusted.fetch(`${server.url}/`, { method: 'GET' })).rejects.toThrow();
      expect(server.requests()).toBe(before);
    } finally {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
    }
  });

  it("honours the caller's AbortSignal (the traffic layer's deadline)", async () => {
    const silent = await startHttpsServer(pki, { handler: () => undefined }); // never answers
    try {
      const started = performance.now();
      await expect(policy({ pins: [pki.leafPin] }).fetch(`${silent.url}/`, { method: 'GET', signal: AbortSignal.timeout(150) })).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await silent.close();
    }
  });

  it('refuses a server that offers nothing newer than TLS 1.1', async () => {
    const old = await startHttpsServer(pki, { tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } });
    try {
      await expect(policy({}).fetch(`${old.url}/`, { method: 'GET' })).rejects.toThrow();
      expect(old.requests()).toBe(0);
    } finally {
      await old.close();
    }
  });
});
