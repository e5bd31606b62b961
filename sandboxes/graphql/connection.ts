/** Relay-style connections with Shopify's opaque cursors, and Shopify global ids. */
import { GraphQLError } from 'graphql';

export const MAX_PAGE_SIZE = 250;

export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

export interface Connection<T> {
  readonly edges: { cursor: string; node: T }[];
  readonly nodes: T[];
  readonly pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const badRequest = (message: string, code = 'BAD_REQUEST'): GraphQLError => new GraphQLError(message, { extensions: { code } });

// Shopify's cursors are base64 JSON of the sort key; clients must treat them as opaque.
const encodeCursor = (id: number): string => Buffer.from(JSON.stringify({ last_id: id, last_value: String(id) })).toString('base64');

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown };
    if (typeof parsed.last_id === 'number' && Number.isSafeInteger(parsed.last_id)) return parsed.last_id;
  } catch {
    // fall through to the error below
  }
  throw badRequest(`Invalid cursor for current pagination sort.`);
}

/** Pages `items` (already in id order) by numeric key. */
export function connection<T>(items: readonly T[], args: PageArgs, keyOf: (item: T) => number): Connection<T> {
  const { first, last } = args;
  if ((first == null) === (last == null)) throw badRequest('you must provide one of first or last');
  const size = (first ?? last)!;
  if (size < 0 || size > MAX_PAGE_SIZE) throw badRequest(`The ${first != null ? 'first' : 'last'} argument must be between 0 and ${MAX_PAGE_SIZE}`);
  let window = [...items];
  if (args.after) {
    const after = decodeCursor(args.after);
    window = window.filter((i) => keyOf(i) > after);
  }
  if (args.before) {
    const before = decodeCursor(args.before);
    window = window.filter((i) => keyOf(i) < before);
  }
  const page = first != null ? window.slice(0, size) : window.slice(Math.max(0, window.length - size));
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: first != null ? window.length > size : Boolean(args.before) && items.some((i) => keyOf(i) >= decodeCursor(args.before!)),
      hasPreviousPage: last != null ? window.length > size : Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

export const gid = (type: string, id: number | string): string => `gid://shopify/${type}/${id}`;

/** The numeric id inside a gid of the given type, or undefined when the gid is of another type. */
export function parseGid(type: string, value: string): number | undefined {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(value);
  if (!match) throw badRequest(`Invalid global id '${value}'`, 'INVALID_GLOBAL_ID');
  return match[1] === type ? Number(match[2]) : undefined;
}
