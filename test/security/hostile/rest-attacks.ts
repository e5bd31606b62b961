/** Hostile answers of a Brightline-style REST supplier (JSON over HTTP, OAuth client credentials). */
import { repeatedBody, type Attack, type ExchangeView, type UpstreamAnswer } from './hostile-server.ts';
import { hostileMessage, hugeCode } from './hostile-text.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const isAvailability = (r: ExchangeView) => r.method === 'POST' && r.path.startsWith('/v1/availability');
const isToken = (r: ExchangeView) => r.method === 'POST' && r.path.startsWith('/oauth/token');

type Result = { pricing?: { currency: string; breaks: { minQuantity: number; unitPrice: unknown }[] } | null; factoryLeadTimeWeeks?: unknown };

const parsed = (answer: UpstreamAnswer): Record<string, unknown> | null =>
  answer.status === 200 ? (JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>) : null;

/** The real availability answer with every result edited. */
function editResults(name: string, edit: (result: Result) => void): Attack {
  return {
    name,
    matches: isAvailability,
    async answer(_request, upstream) {
      const json = parsed(await upstream());
      if (!json) return null;
      for (const result of json['results'] as Result[]) edit(result);
      return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(json) };
    },
  };
}

const setPrice = (result: Result, unitPrice: string) => {
  result.pricing = { currency: result.pricing?.currency ?? 'USD', breaks: [{ minQuantity: 1, unitPrice }] };
};

/** A price of `digits` digits whose fraction is zeros then a 1: the worst case for trimming zeros with `/0+$/`. */
export const longPrice = (digits: number): string => `1.${'0'.repeat(digits - 2)}1`;

export const restPriceDigits = (digits: number): Attack => editResults(`price with ${digits} digits`, (r) => setPrice(r, longPrice(digits)));
export const restPriceDecimals = (decimals: number): Attack =>
  editResults(`price with ${decimals} decimals`, (r) => setPrice(r, `12.${'3456789012'.repeat(Math.ceil(decimals / 10)).slice(0, decimals)}`));
export const restLeadTime = (weeks: number): Attack => editResults(`lead time ${weeks} weeks`, (r) => (r.factoryLeadTimeWeeks = weeks));

/** A well-formed availability answer of `bytes` bytes: the real results repeated. Streamed, never held. */
export function restHugeAnswer(bytes: number): Attack {
  return {
    name: `${bytes} byte JSON answer`,
    matches: isAvailability,
    async answer(_request, upstream) {
      const json = parsed(await upstream());
      const results = json?.['results'] as unknown[] | undefined;
      if (!json || !results || results.length === 0) return null;
      const item = JSON.stringify(results[0]);
      const [head, tail] = JSON.stringify({ ...json, results: ['\u0000SPLIT'] }).split('"\\u0000SPLIT"') as [string, string];
      return { status: 200, contentType: JSON_TYPE, body: repeatedBody(`${head}${item}`, `,${item}`, tail, bytes) };
    },
  };
}

/** Brightline's error envelope with a code of `codeBytes` and a hostile message of `messageBytes`. */
export function restErrorText(status: number, codeBytes: number, messageBytes: number): Attack {
  return {
    name: `HTTP ${status} with a ${codeBytes} byte error code`,
    matches: isAvailability,
    async answer() {
      const body = Buffer.concat([Buffer.from(`{"error":{"code":"${hugeCode(codeBytes)}","message":"`), hostileMessage(messageBytes, 'json'), Buffer.from('"}}')]);
      return { status, contentType: JSON_TYPE, body };
    },
  };
}

/**
 * The token endpoint answers `expires_in` as given. So that the connector asks for a token while armed, the first
 * API call is refused 401 (the supplier revoked the token, as one may at any time); the connector drops the token
 * and asks for a new one.
 */
export function restTokenLifetime(expiresIn: number): Attack {
  let revoked = false;
  return {
    name: `OAuth expires_in ${expiresIn}`,
    matches: (r) => isToken(r) || (!revoked && r.path.startsWith('/v1/')),
    async answer(request, upstream) {
      if (!isToken(request)) {
        revoked = true;
        return { status: 401, contentType: JSON_TYPE, headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, body: '{"error":{"code":"INVALID_TOKEN","message":"Token revoked"}}' };
      }
      const json = parsed(await upstream());
      if (!json) return null;
      return { status: 200, contentType: JSON_TYPE, body: JSON.stringify({ ...json, expires_in: expiresIn }) };
    },
  };
}
