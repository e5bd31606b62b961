import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GATEWAY_AUTH_HEADER, type GatewayTokenSigner } from '../../platform/auth/gateway-token.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { createAsyncScope } from '../../platform/tracing/async-scope.ts';
import type { EntityCache } from '../entity-cache.ts';

/**
 * The principal of the operation whose subgraph fetch is being sent (set around each `process`). In the trace
 * context's AsyncLocalStorage when tracing is on: one per process, not two (platform/tracing/async-scope.ts).
 */
const sendingFor = createAsyncScope<Principal>('dropship.sending-for');

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
  request: GatewayGraphQLRequest,
  context: TContext,
): Promise<GatewayGraphQLResponse> {
  if (!request.http) throw new Error("Internal error: Only 'http' requests are supported.");
  const { http, ...requestWithoutHttp } = request;
  const requestInit = { method: http.method, headers: Object.fromEntries(http.headers), body: JSON.stringify(requestWithoutHttp) };
  let fetchResponse: FetcherResponse | undefined;
  try {
    fetchResponse = await this.fetcher(http.url, requestInit);
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
 * events each carry their own single-use header. The principal reaches the fetcher through AsyncLocalStorage,
 * entered in `process` (the one public entry of a fetch), because the fetcher sees only the URL and the request.
 */
export class SignedDataSource<TContext extends { readonly principal: Principal }> extends RemoteGraphQLDataSource<TContext> {
  constructor(options: SignedDataSourceOptions<TContext>) {
    const send = options.fetch ?? fetch;
    const sign = (principal: Principal): Fetch => async (input, init) => {
      const body = typeof init.body === 'string' ? init.body : '';
      const headers = { ...(init.headers as Record<string, string>), [GATEWAY_AUTH_HEADER]: await options.signer.sign(principal, options.name, body) };
      return send(input, { ...init, headers });
    };
    const signedFetch: Fetch = async (input, init) => {
      const principal = sendingFor.get();
      // Without a principal nothing is signed and the subgraph refuses the call: failing closed.
      if (principal === undefined) return send(input, init);
      // The cache sits before the signature: a fetch of only the missing entities is a new body, signed for itself.
      if (options.entityCache) return options.entityCache.fetch(options.name, principal, input, init, sign(principal));
      return sign(principal)(input, init);
    };
    super({
      ...(options.url === undefined ? {} : { url: options.url }),
      fetcher: signedFetch as never,
      ...(options.willSendRequest ? { willSendRequest: options.willSendRequest } : {}),
      ...(options.didReceiveResponse ? { didReceiveResponse: options.didReceiveResponse } : {}),
    });
    // `sendRequest` is private in @apollo/gateway's typings, so it is replaced on the instance rather than overridden.
    Object.defineProperty(this, 'sendRequest', { value: sendRequest, writable: true, configurable: true });
  }

  override process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const principal = (options.context as Partial<TContext> | undefined)?.principal;
    return principal === undefined ? super.process(options) : sendingFor.run(principal, () => super.process(options));
  }
}
