import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GATEWAY_AUTH_HEADER, type GatewayTokenSigner } from '../../platform/auth/gateway-token.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { EntityCache } from '../entity-cache.ts';

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface SignedDataSourceOptions<TContext extends { readonly principal: Principal }> {
  /** The subgraph's name in the supergraph: the token's audience. */
  readonly name: string;
  readonly url: string | undefined;
  readonly signer: GatewayTokenSigner;
  /** @default global fetch */
  readonly fetch?: Fetch;
  /** GATEWAY_ENTITY_CACHE: `_entities` fetches of cacheable types answered per entity; misses are signed and sent. */
  readonly entityCache?: EntityCache;
  readonly willSendRequest?: RemoteGraphQLDataSource<TContext>['willSendRequest'];
  readonly didReceiveResponse?: RemoteGraphQLDataSource<TContext>['didReceiveResponse'];
}

type FetcherResponse = Awaited<ReturnType<RemoteGraphQLDataSource['fetcher']>>;

/**
 * RemoteGraphQLDataSource.sendRequest without the node-fetch `Request` it builds beside every fetch only to hand to
 * `parseBody` and `didEncounterError`, which (not overridden here) never read it: the same body string, headers,
 * parse and errors (issue 15: node-fetch's Request was ~1 % of the gateway's busy time).
 */
async function sendRequest<TContext extends { readonly principal: Principal }>(
  this: RemoteGraphQLDataSource<TContext>,
  fetcher: Fetch,
  request: GatewayGraphQLRequest,
  context: TContext,
): Promise<GatewayGraphQLResponse> {
  if (!request.http) throw new Error("Internal error: Only 'http' requests are supported.");
  const { http, ...requestWithoutHttp } = request;
  const requestInit = { method: http.method, headers: Object.fromEntries(http.headers), body: JSON.stringify(requestWithoutHttp) };
  let fetchResponse: FetcherResponse | undefined;
  try {
    fetchResponse = (await fetcher(http.url, requestInit)) as unknown as FetcherResponse;
    if (!fetchResponse.ok) throw await this.errorFromResponse(fetchResponse);
    const body: unknown = await this.parseBody(fetchResponse, undefined as never, context);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    return { ...(body as object), http: fetchResponse } as GatewayGraphQLResponse;
  } catch (error) {
    this.didEncounterError(error as Error, undefined as never, fetchResponse, context, request);
    throw error;
  }
}

/**
 * A subgraph data source that signs every fetch it sends (docs/security.md, "Gateway → subgraph trust"). The
 * signature is made in the fetcher, over the exact body string @apollo/gateway is about to send, with a fresh `jti`
 * each time: parallel and sequential fetches of one plan, an APQ retry, and the fetches made for subscription
 * events each carry their own single-use header. The principal is the operation context's, which `process` hands to
 * `sendRequest` (replaced below), so no AsyncLocalStorage scope is entered per fetch.
 */
export class SignedDataSource<TContext extends { readonly principal: Principal }> extends RemoteGraphQLDataSource<TContext> {
  constructor(options: SignedDataSourceOptions<TContext>) {
    const send = options.fetch ?? fetch;
    const sign = (principal: Principal): Fetch => async (input, init) => {
      const body = typeof init.body === 'string' ? init.body : '';
      const headers = { ...(init.headers as Record<string, string>), [GATEWAY_AUTH_HEADER]: await options.signer.sign(principal, options.name, body) };
      return send(input, { ...init, headers });
    };
    const fetchFor = (principal: Principal | undefined): Fetch => {
      // Without a principal nothing is signed and the subgraph refuses the call: failing closed.
      if (principal === undefined) return send;
      // The cache sits before the signature: a fetch of only the missing entities is a new body, signed for itself.
      if (options.entityCache) {
        const cache = options.entityCache;
        return (input, init) => cache.fetch(options.name, principal, input, init, sign(principal));
      }
      return sign(principal);
    };
    super({
      ...(options.url === undefined ? {} : { url: options.url }),
      // Nothing signed goes through `fetcher` itself: only through sendRequest, which knows the principal.
      fetcher: send as never,
      ...(options.willSendRequest ? { willSendRequest: options.willSendRequest } : {}),
      ...(options.didReceiveResponse ? { didReceiveResponse: options.didReceiveResponse } : {}),
    });
    // `sendRequest` is private in @apollo/gateway's typings, so it is replaced on the instance rather than overridden.
    const replaced = (request: GatewayGraphQLRequest, context: TContext) =>
      sendRequest.call(this, fetchFor((context as Partial<TContext> | undefined)?.principal), request, context);
    Object.defineProperty(this, 'sendRequest', { value: replaced, writable: true, configurable: true });
  }
}
