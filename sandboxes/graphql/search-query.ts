/**
 * A small subset of Shopify's search syntax: `field:value` terms (values may be "quoted" with \" escapes),
 * joined by OR, with AND (explicit or by juxtaposition) binding tighter. Enough for `sku:a OR sku:b` and
 * `source_identifier:"PO-1"`; anything else is refused rather than silently matching everything.
 */

export interface SearchTerm {
  readonly field: string;
  readonly value: string;
}

/** A disjunction of conjunctions. */
export type SearchQuery = readonly (readonly SearchTerm[])[];

export class SearchSyntaxError extends Error {}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < query.length) {
    if (/\s/.test(query[i]!)) {
      i++;
      continue;
    }
    let token = '';
    while (i < query.length && !/\s/.test(query[i]!)) {
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

export function parseSearchQuery(query: string, allowedFields: readonly string[]): SearchQuery {
  const groups: SearchTerm[][] = [[]];
  for (const token of tokenize(query)) {
    if (token === 'OR') {
      if (groups[groups.length - 1]!.length === 0) throw new SearchSyntaxError('OR without a term before it');
      groups.push([]);
    } else if (token === 'AND') {
      continue;
    } else {
      groups[groups.length - 1]!.push(parseTerm(token, allowedFields));
    }
  }
  if (groups[groups.length - 1]!.length === 0) {
    if (groups.length === 1) return [];
    throw new SearchSyntaxError('OR without a term after it');
  }
  return groups;
}

/** Whether a record matches; `valueOf` gives the record's value for a field. Case-insensitive, exact. */
export function matches(query: SearchQuery, valueOf: (field: string) => string | null): boolean {
  if (query.length === 0) return true;
  return query.some((group) => group.every((t) => valueOf(t.field)?.toLowerCase() === t.value.toLowerCase()));
}

export const countTerms = (query: SearchQuery, field: string): number =>
  query.reduce((n, group) => n + group.filter((t) => t.field === field).length, 0);
