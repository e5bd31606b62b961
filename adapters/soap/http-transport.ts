/**
 * Our HTTP client for the `soap` package (its `httpClient` option), in place of its axios one:
 * - the exchange goes through the supplier's outbound policy fetch (HTTPS only, TLS 1.2+, pins, no redirects);
 * - the body is read with a cap before anything looks at it: `maxBytes(operation)` for 2xx, MAX_ERROR_ANSWER_BYTES
 *   for the rest (readCappedText: streamed, abandoned past the cap);
 * - the envelope is found in linear time (envelope.ts), never by `soap`'s quadratic regular expression, and
 *   shapes on which `soap`'s parser is super-linear are refused (envelope-check.ts, a linear scan in slices);
 * - a non-2xx answer without an envelope (a proxy's HTML page) is a registry error by its status, and never
 *   reaches `soap`'s parser; one with an envelope (a SOAP fault) is parsed by `soap`, at most 64 KiB of it;
 * - a 2xx envelope reaches `soap` as a stream of 8 Ki-character chunks, one per macrotask, so its sax parser
 *   never holds the event loop for more than one chunk (a synchronous parse of an 8 MiB answer takes ~0.9 s).
 * The caller's AbortSignal (the call policy's deadline) cancels the exchange at any point.
 */
import { Readable } from 'node:stream';
import { answerLimits, MAX_ERROR_ANSWER_BYTES, readCappedText, type AnswerLimits, type CapContext } from '../core/answer-cap.ts';
import { isRegistryError } from '../../kernel/errors.ts';
import type { OutboundFetch } from '../core/outbound-policy.ts';
import { checkEnvelope } from './envelope-check.ts';
import { findEnvelope } from './envelope.ts';
import { toSoapRegistryError } from './errors.ts';

/**
 * Characters handed to sax per macrotask: 8 Ki parse in about 1 ms on the 2-core CI machine. Smaller chunks cost
 * little more CPU in total (a macrotask each), and every request interleaved with a big parse waits at most one
 * chunk per event-loop turn.
 */
export const SOAP_PARSE_CHUNK = 8 * 1024;

/** What `soap` passes as `exoptions`: the options of `client.<op>Async(args, options)`, our own included. */
export interface SoapExchangeOptions {
  readonly signal?: AbortSignal;
  /** The operation being called: picks its answer cap. */
  readonly answerOperation?: string;
  readonly [key: string]: unknown;
}

/** The response shape `soap`'s client reads: status, headers, data (a stream in stream mode), config.headers. */
export interface SoapHttpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly data: Readable | string;
  readonly config: { readonly headers: Record<string, string> };
}

export interface SoapHttpClient {
  request(rurl: string, data: string, callback: (error: unknown, res?: SoapHttpResponse, body?: string) => void, exheaders?: Record<string, string>, exoptions?: SoapExchangeOptions): Promise<unknown>;
  requestStream(rurl: string, data: string, exheaders?: Record<string, string>, exoptions?: SoapExchangeOptions): Promise<SoapHttpResponse>;
}

export interface SoapHttpClientOptions {
  readonly supplier: string;
  /** The outbound policy's fetch. @default global fetch with redirects not followed (tests without a policy) */
  readonly fetch?: OutboundFetch;
  /** Caps for 2xx answers, per operation. @default answerLimits() (DEFAULT_MAX_ANSWER_BYTES) */
  readonly answerLimits?: AnswerLimits;
  /** Our secrets, cut out of any supplier text kept in an error. */
  readonly secrets?: readonly string[];
  /** @default SOAP_PARSE_CHUNK */
  readonly chunkChars?: number;
}

const defaultFetch: OutboundFetch = (input, init) => fetch(input, { ...init, redirect: 'manual' });

/** Yields `text` in chunks of `size`, each after a macrotask (setImmediate), so other work runs between them. */
export function chunkedReadable(text: string, size: number, signal?: AbortSignal): Readable {
  let offset = 0;
  const stream = new Readable({
    read() {
      setImmediate(() => {
        if (stream.destroyed) return;
        if (signal?.aborted) {
          stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          return;
        }
        if (offset >= text.length) {
          stream.push(null);
          return;
        }
        const chunk = text.slice(offset, offset + size);
        offset += size;
        stream.push(chunk);
      });
    },
  });
  return stream;
}

function headersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

export function createSoapHttpClient(options: SoapHttpClientOptions): SoapHttpClient {
  const send = options.fetch ?? defaultFetch;
  const limits = options.answerLimits ?? answerLimits();
  const chunk = options.chunkChars ?? SOAP_PARSE_CHUNK;

  /** One exchange: the capped body's envelope with its status, or a registry error. */
  async function exchange(rurl: string, data: string, exheaders: Record<string, string> = {}, exoptions: SoapExchangeOptions = {}) {
    const operation = exoptions.answerOperation ?? 'soap';
    const signal = exoptions.signal;
    const ctx: CapContext = { supplier: options.supplier, operation, label: `${operation} (SOAP)` };
    const requestHeaders: Record<string, string> = { accept: 'text/xml, application/soap+xml', ...exheaders };
    const failed = { supplier: options.supplier, operation, ...(signal ? { signal } : {}), secrets: options.secrets ?? [] };
    let response: Response;
    try {
      response = await send(rurl, { method: 'POST', headers: requestHeaders, body: data, ...(signal ? { signal } : {}) });
    } catch (error) {
      throw toSoapRegistryError(error, failed);
    }
    const ok = response.status >= 200 && response.status < 300;
    const headers = headersOf(response);
    const body = await readCappedText(response, ok ? limits.maxBytes(operation) : MAX_ERROR_ANSWER_BYTES, ctx).catch((error: unknown) => {
      // An error answer too large to hold a fault we would read: its status decides (a 5xx stays unavailable).
      if (!ok && isRegistryError(error) && error.details?.['reason'] === 'answer-too-large') {
        throw toSoapRegistryError(
          { response: { status: response.status, headers } },
          { ...failed, details: { reason: 'error-answer-too-large', maxBytes: MAX_ERROR_ANSWER_BYTES } },
        );
      }
      throw toSoapRegistryError(error, failed);
    });
    const envelope = findEnvelope(body);
    if (!envelope) {
      // Nothing for `soap` to parse: the status decides (5xx → unavailable, 401/403 → misconfigured, 429 → throttled...).
      throw toSoapRegistryError({ response: { status: response.status, headers } }, { ...failed, details: { reason: 'no-soap-envelope', bodyChars: body.length } });
    }
    // Shapes on which `soap`'s parser is super-linear (envelope-check.ts) are refused before it sees them.
    const problem = await checkEnvelope(envelope.xml, signal).catch((error: unknown) => {
      throw toSoapRegistryError(error, failed);
    });
    if (problem) {
      throw toSoapRegistryError({ response: { status: response.status, headers } }, { ...failed, details: { reason: problem } });
    }
    // `soap` streams (chunked parse) only a status of exactly 200; any 2xx is an answer to parse the same way.
    return { status: ok ? 200 : response.status, headers, xml: envelope.xml, config: { headers: requestHeaders } };
  }

  return {
    async requestStream(rurl, data, exheaders, exoptions) {
      const { xml, ...rest } = await exchange(rurl, data, exheaders, exoptions);
      return { ...rest, data: chunkedReadable(xml, chunk, exoptions?.signal) };
    },
    // Not used in stream mode; kept so that a `soap` path asking for a whole body gets the same checked one.
    request(rurl, data, callback, exheaders, exoptions) {
      return exchange(rurl, data, exheaders, exoptions).then(
        ({ xml, ...rest }) => callback(null, { ...rest, data: xml }, xml),
        (error: unknown) => callback(error),
      );
    },
  };
}
