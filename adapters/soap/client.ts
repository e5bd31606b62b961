/**
 * One SOAP service, as a connector uses it: a `soap` package client built from the published WSDL (types merged
 * by wsdl-loader) with an explicit endpoint, a declared table of the operations we call and whether each reads or
 * writes, and every failure turned into a registry error. The HTTP exchange is ours (http-transport.ts): outbound
 * policy, capped reads, a linear envelope check and a chunked parse; `soap` builds requests and maps answers.
 */
import { randomUUID } from 'node:crypto';
import soap from 'soap';
import type { AnswerLimits } from '../core/answer-cap.ts';
import { RegistryError } from '../../kernel/errors.ts';
import type { OutboundPolicy } from '../core/outbound-policy.ts';
import { asRecord, type Raw } from './coerce.ts';
import { toSoapRegistryError } from './errors.ts';
import { createSoapHttpClient } from './http-transport.ts';
import { loadWsdl } from './wsdl-loader.ts';

export interface SoapOperationDecl {
  /** Reads may be retried by call policies; writes never are, here or below. */
  readonly kind: 'read' | 'write';
}

export interface SoapServiceClientOptions<Op extends string> {
  readonly supplier: string;
  readonly wsdlPath: string;
  /** The real endpoint; the published WSDLs carry a placeholder soap:address. */
  readonly endpoint: string;
  readonly operations: Readonly<Record<Op, SoapOperationDecl>>;
  /** Also send a WS-Security UsernameToken (PasswordText) header, for suppliers that want one. */
  readonly wsSecurity?: { readonly username: string; readonly password: string };
  /** Sees each request envelope exactly as sent; tests validate it against the XSDs. */
  readonly onRequestXml?: (operation: Op, xml: string) => void;
  /** HTTPS-only, TLS 1.2+ and pinning (docs/security.md); the endpoint is checked here, before any call. @default none */
  readonly outbound?: OutboundPolicy;
  /** Our secrets (the password): cut out of any supplier text that goes into an error, should it echo them. */
  readonly secrets?: readonly string[];
  /**
   * Caps for 2xx answers, per operation (non-2xx: MAX_ERROR_ANSWER_BYTES); past the cap the read stops and the call
   * fails CONTRACT_VIOLATION (`answer-too-large`). @default answerLimits() (DEFAULT_MAX_ANSWER_BYTES, 8 MiB)
   */
  readonly answerLimits?: AnswerLimits;
}

export interface SoapServiceClient<Op extends string> {
  readonly endpoint: string;
  readonly operations: Readonly<Record<Op, SoapOperationDecl>>;
  /**
   * Calls one operation. `args` must list elements in XSD sequence order: `soap` serialises object keys in
   * insertion order. Resolves to the response element's children as `soap` parsed them (coerce before use).
   */
  call(operation: Op, args: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<Record<string, Raw>>;
}

type AsyncMethod = (args: unknown, options: Record<string, unknown>) => Promise<[unknown, string, unknown, string]>;

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export async function createSoapServiceClient<Op extends string>(options: SoapServiceClientOptions<Op>): Promise<SoapServiceClient<Op>> {
  options.outbound?.check(options.endpoint);
  const wsdl = await loadWsdl(options.wsdlPath);
  const httpClient = createSoapHttpClient({
    supplier: options.supplier,
    ...(options.outbound ? { fetch: options.outbound.fetch } : {}),
    ...(options.answerLimits ? { answerLimits: options.answerLimits } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  // stream: our requestStream hands `soap` the checked envelope in chunks, so sax parses it one macrotask at a time.
  const client = new soap.Client(wsdl, options.endpoint, { httpClient, stream: true } as unknown as soap.IOptions);
  if (options.wsSecurity) {
    client.setSecurity(new soap.WSSecurity(options.wsSecurity.username, options.wsSecurity.password, { passwordType: 'PasswordText', hasTimeStamp: false }));
  }
  const described = JSON.stringify(client.describe());
  for (const operation of Object.keys(options.operations)) {
    if (!described.includes(`"${operation}"`) || typeof (client as unknown as Record<string, unknown>)[`${operation}Async`] !== 'function') {
      throw new RegistryError('MISCONFIGURED', `${options.wsdlPath} has no operation ${operation}`, { supplier: options.supplier });
    }
  }
  const pending = new Map<string, Op>();
  if (options.onRequestXml) {
    const hook = options.onRequestXml;
    client.on('request', (xml: string, exchangeId: string) => {
      const operation = pending.get(exchangeId);
      if (operation) hook(operation, xml);
    });
  }

  return {
    endpoint: options.endpoint,
    operations: options.operations,
    async call(operation, args, signal) {
      if (!(operation in options.operations)) {
        throw new RegistryError('INTERNAL', `undeclared SOAP operation ${operation}`, { supplier: options.supplier, operation });
      }
      const context = { supplier: options.supplier, operation, signal, secrets: options.secrets ?? [] };
      if (signal.aborted) throw toSoapRegistryError(signal.reason, context);
      const exchangeId = randomUUID();
      pending.set(exchangeId, operation);
      const method = (client as unknown as Record<string, AsyncMethod>)[`${operation}Async`]!.bind(client);
      try {
        // Options reach our http client as `exoptions`: `signal` cancels the exchange and the chunked parse; no
        // client-side timeout here, the call policy's deadline aborts through the same signal. The race stops the
        // wait even where `soap` would not call back (a parse abandoned mid-stream).
        const [result] = await raceAbort(method(args, { signal, exchangeId, answerOperation: operation }), signal);
        // An answer whose elements are all optional and absent parses as '' or null: an empty record.
        const record = result === '' || result === null ? {} : asRecord(result, `${operation} response`);
        if (!record) {
          throw new RegistryError('CONTRACT_VIOLATION', `${options.supplier} ${operation}: answer has no response element`, {
            supplier: options.supplier,
            operation,
          });
        }
        return record;
      } catch (error) {
        throw options.outbound?.registryErrorOf(error, operation) ?? toSoapRegistryError(error, context);
      } finally {
        pending.delete(exchangeId);
      }
    },
  };
}
