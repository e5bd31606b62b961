import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

/**
 * The address failed authentication is counted against (docs/security.md). The socket's peer, unless the gateway
 * sits behind `trustedProxyHops` reverse proxies: then the entry that many from the right of X-Forwarded-For,
 * the one our own outermost proxy appended (entries further left are whatever the client chose to send).
 * IPv6 addresses count per /64, the block one subscriber usually gets; IPv4-mapped IPv6 counts as IPv4.
 * Undefined when unknown (subscriptions authenticate from connection_init, without a request).
 */
export function clientAddressOf(req: Pick<IncomingMessage, 'headers'> & { socket?: { remoteAddress?: string | undefined } | undefined }, trustedProxyHops: number): string | undefined {
  let address = req.socket?.remoteAddress;
  if (trustedProxyHops > 0) {
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    const candidate = hops[hops.length - trustedProxyHops];
    if (candidate !== undefined) address = candidate;
  }
  return address === undefined ? undefined : normalize(address);
}

function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expand(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, `::` expanded. */
function expand(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array.from({ length: Math.max(0, 8 - left.length - right.length) }, () => '0');
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
