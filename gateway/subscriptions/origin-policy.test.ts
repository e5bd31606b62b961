import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin-policy.ts';

describe('originAllowed (docs/subscriptions.md, "Origins")', () => {
  const required = { devMode: false, allowed: [] };

  it('lets a page of the gateway\'s own origin (the operator console) upgrade without being listed', () => {
    expect(originAllowed('http://127.0.0.1:4000', required, '127.0.0.1:4000')).toBe(true);
    expect(originAllowed('https://graph.example.com', required, 'Graph.Example.com')).toBe(true);
  });

  it('still refuses every other page, a same host on another port, and opaque origins', () => {
    expect(originAllowed('https://evil.example', required, 'graph.example.com')).toBe(false);
    expect(originAllowed('http://127.0.0.1:4001', required, '127.0.0.1:4000')).toBe(false);
    expect(originAllowed('null', required, 'null')).toBe(false);
    expect(originAllowed('https://evil.example', required)).toBe(false);
  });

  it('keeps the loopback-only rule in dev mode, where no token means the admin', () => {
    expect(originAllowed('http://evil.example', { devMode: true, allowed: ['*'] }, 'evil.example')).toBe(false);
    expect(originAllowed('http://localhost:4000', { devMode: true, allowed: [] }, 'localhost:4000')).toBe(true);
  });

  it('lets clients that are not browsers (no Origin) through to authentication, and honours the list', () => {
    expect(originAllowed(undefined, required)).toBe(true);
    expect(originAllowed('https://app.example.com', { devMode: false, allowed: ['https://app.example.com'] }, 'graph.example.com')).toBe(true);
  });
});
