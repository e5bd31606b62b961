/**
 * The host part of a connection URL, for error messages and logs: never the user name or password.
 * Handles what WHATWG URL cannot parse, such as MongoDB seed lists (`mongodb://a:1,b:2/db`). Shared by both store
 * drivers (adapters/storage/mongo and adapters/redis), so it sits below both, in adapters/store-kit/.
 */
export function hostOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url);
  return match?.[1] || '(unparseable URL)';
}
