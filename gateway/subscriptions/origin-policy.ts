/**
 * Which pages may open a live subscription (docs/subscriptions.md, "Origins"). A browser always sends `Origin` on
 * a WebSocket upgrade and lets any page open a socket to any host — the same-origin policy does not cover
 * WebSockets — so without this check a page on any site could subscribe with what the browser holds, and in
 * `AUTH_MODE=dev` (no token = the admin) as the admin. A client that is not a browser sends no `Origin` (or any it
 * likes): the check protects browsers' users, it does not authenticate anyone.
 */
export interface OriginPolicy {
  /** AUTH_MODE=dev: only loopback pages (localhost, 127.0.0.0/8, ::1), whatever the list says. */
  readonly devMode: boolean;
  /** WS_ALLOWED_ORIGINS: exact origins (`https://app.example.com`), or `*` for any page (tokens only, no cookies). */
  readonly allowed: readonly string[];
}

const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The origin as browsers serialise it (scheme://host[:port], default port left out), or null when it is not one. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * `host`: the upgrade's Host header. Outside dev mode a page of the gateway's own origin (the operator console it
 * serves, docs/operations.md) may open a socket without being listed: it is our page, and it still authenticates
 * with the token the operator typed, like any client (a page reaching us under another name through DNS rebinding
 * holds no token: credentials here are bearer tokens, never cookies). In dev mode, where no token means the
 * admin, the loopback rule alone decides, as before.
 */
export function originAllowed(origin: string | undefined, policy: OriginPolicy, host?: string): boolean {
  if (origin === undefined) return true;
  const normalised = normaliseOrigin(origin); // `null` (sandboxed frames, file:) is never allowed
  if (normalised === null) return false;
  if (policy.devMode) return LOOPBACK.test(new URL(normalised).hostname);
  const sameOrigin = host !== undefined && new URL(normalised).host === host.toLowerCase();
  return sameOrigin || policy.allowed.includes('*') || policy.allowed.includes(normalised);
}
