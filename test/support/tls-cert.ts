/**
 * Throwaway certificates for TLS tests, made with the openssl CLI (node:crypto cannot issue X.509): a CA and a leaf
 * for 127.0.0.1 / localhost signed by it, each with its SPKI pin computed the way docs/security.md tells operators
 * to (openssl pkey | openssl dgst | base64), so the tests also prove that recipe matches what the policy checks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  readonly caPem: string;
  readonly leafKeyPem: string;
  readonly leafPem: string;
  /** base64 sha256 of each SubjectPublicKeyInfo. */
  readonly caPin: string;
  readonly leafPin: string;
}

const openssl = (args: string[], input?: Buffer): Buffer => execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });

/** `openssl pkey -in key -pubout -outform der | openssl dgst -sha256 -binary | base64` */
function pinOfKey(keyFile: string): string {
  const spki = openssl(['pkey', '-in', keyFile, '-pubout', '-outform', 'der']);
  return openssl(['dgst', '-sha256', '-binary'], spki).toString('base64');
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'pki-'));
  const file = (name: string) => join(dir, name);
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=dropship test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    openssl(['req', ...ec, '-keyout', file('leaf.key'), '-out', file('leaf.csr'), '-subj', '/CN=localhost']);
    writeFileSync(file('leaf.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    openssl(['x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
      '-out', file('leaf.pem'), '-days', '2', '-extfile', file('leaf.ext')]);
    return {
      caPem: readFileSync(file('ca.pem'), 'utf8'),
      leafKeyPem: readFileSync(file('leaf.key'), 'utf8'),
      leafPem: readFileSync(file('leaf.pem'), 'utf8'),
      caPin: pinOfKey(file('ca.key')),
      leafPin: pinOfKey(file('leaf.key')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestHttpsServer {
  readonly url: string;
  /** Requests that got past the handshake. */
  readonly requests: () => number;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 presenting leaf + CA; answers with `handler`, else `status`/`body` (JSON). */
export async function startHttpsServer(
  pki: TestPki,
  options: {
    status?: number;
    body?: string;
    handler?: (req: IncomingMessage, body: string, res: ServerResponse) => void;
    tls?: Record<string, unknown>;
  } = {},
): Promise<TestHttpsServer> {
  let count = 0;
  const server: Server = createServer({ key: pki.leafKeyPem, cert: pki.leafPem + pki.caPem, ...options.tls }, (req, res) => {
    count += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (options.handler) return options.handler(req, Buffer.concat(chunks).toString('utf8'), res);
      res.writeHead(options.status ?? 200, { 'content-type': 'application/json' });
      res.end(options.body ?? '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
