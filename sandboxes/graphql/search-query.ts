/**
 * A small subset of Shopify's search syntax: `field:value` terms (values may be "quoted" with \" escapes),
 * joined by OR, with AND (explicit or by juxtaposition) binding tighter, and `( … )` sub-queries as in
 * Shopify's grammar (`Term = "(" Query ")" | name ":" value`). Enough for `sku:a OR sku:b`,
 * `product_status:archived AND (sku:a OR sku:b)` and `source_identifier:"PO-1"`; anything else is refused
 * rather than silently matching everything.
 */

export interface SearchTerm {
  readonly field: string;
  readonly value: string;
}

/** A parsed query: terms combined by AND / OR. An empty AND (the empty query) matches everything. */
export type SearchQuery =
  | { readonly kind: 'term'; readonly term: SearchTerm }
  | { readonly kind: 'and' | 'or'; readonly items: readonly SearchQuery[] };

export class SearchSyntaxError extends Error {}

/** Deepest `( … )` nesting accepted; a guard against a stack-busting query, not a Shopify figure. */
const MAX_DEPTH = 16;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
      continue;
    }
    let token = '';
    while (i < query.length && !/\s/.test(query[i]!) && query[i] !== '(' && query[i] !== ')') {
      if (query[i] === '"') {
        token += '"';
        i++;
        while (i < query.length && query[i] !== '"') {
          if (query[i] === '\\' && i + 1 < query.length) i++;
          token += query[i];
          i++;
        }
        if (i >= query.length) throw new SearchSyntaxError('Unterminated quoted value in search query');
        token += '"';
        i++;
      } else {
        token += query[i];
        i++;
      }
    }
    tokens.push(token);
  }
  return tokens;
}

function parseTerm(token: string, allowed: readonly string[]): SearchTerm {
  const colon = token.indexOf(':');
  if (colon <= 0) throw new SearchSyntaxError(`Unsupported search term '${token}': use field:value`);
  const field = token.slice(0, colon);
  let value = token.slice(colon + 1);
  if (!allowed.includes(field)) throw new SearchSyntaxError(`Unsupported search field '${field}'`);
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  if (value.length === 0) throw new SearchSyntaxError(`Empty value for search field '${field}'`);
  return { field, value };
}

/** Recursive descent over the tokens: or := and ("OR" and)*; and := term ("AND"? term)*; term := "(" or ")" | f:v. */
class Parser {
  #at = 0;
  constructor(
    private readonly tokens: readonly string[],
    private readonly allowed: readonly string[],
  ) {}

  parse(): SearchQuery {
    if (this.tokens.length === 0) return { kind: 'and', items: [] };
    const query = this.#or(0);
    if (this.#at < this.tokens.length) throw new SearchSyntaxError(`Unexpected '${this.tokens[this.#at]}' in search query`);
    return query;
  }

  #or(depth: number): SearchQuery {
    const items = [this.#and(depth, 'before')];
    while (this.tokens[this.#at] === 'OR') {
      this.#at++;
      items.push(this.#and(depth, 'after'));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  #and(depth: number, side: 'before' | 'after'): SearchQuery {
    const items: SearchQuery[] = [];
    for (;;) {
      const token = this.tokens[this.#at];
      if (token === undefined || token === 'OR' || token === ')') break;
      this.#at++;
      if (token === 'AND') continue;
      if (token === '(') {
        if (depth >= MAX_DEPTH) throw new SearchSyntaxError('Search query nests parentheses too deeply');
        items.push(this.#or(depth + 1));
        if (this.tokens[this.#at] !== ')') throw new SearchSyntaxError('Unbalanced parentheses in search query');
        this.#at++;
      } else {
        items.push({ kind: 'term', term: parseTerm(token, this.allowed) });
      }
    }
    if (items.length === 0) {
      const next = this.tokens[this.#at];
      if (next === ')') throw new SearchSyntaxError('Empty or unbalanced parentheses in search query');
      throw new SearchSyntaxError(side === 'before' ? 'OR without a term before it' : 'OR without a term after it');
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }
}

export function parseSearchQuery(query: string, allowedFields: readonly string[]): SearchQuery {
  return new Parser(tokenize(query), allowedFields).parse();
}

export interface MatchOptions {
  /** Fields whose term value is a comma-separated list of alternatives, as Shopify's `product_status:active,draft`. */
  readonly listFields?: readonly string[];
}

/** Whether a record matches; `valueOf` gives the record's value for a field. Case-insensitive, exact. */
export function matches(query: SearchQuery, valueOf: (field: string) => string | null, options: MatchOptions = {}): boolean {
  if (query.kind !== 'term') {
    const one = (q: SearchQuery): boolean => matches(q, valueOf, options);
    return query.kind === 'and' ? query.items.every(one) : query.items.some(one);
  }
  const actual = valueOf(query.term.field)?.toLowerCase();
  if (actual === undefined) return false;
  const wanted = options.listFields?.includes(query.term.field) ? query.term.value.split(',') : [query.term.value];
  return wanted.some((w) => w.trim().toLowerCase() === actual);
}

/** How many `field:` terms the query spells out (a term inside parentheses counts once). */
export function countTerms(query: SearchQuery, field: string): number {
  if (query.kind === 'term') return query.term.field === field ? 1 : 0;
  return query.items.reduce((n, q) => n + countTerms(q, field), 0);
}

/** Every field the query names, each once. */
export function fieldsOf(query: SearchQuery): Set<string> {
  if (query.kind === 'term') return new Set([query.term.field]);
  return new Set(query.items.flatMap((q) => [...fieldsOf(q)]));
}
