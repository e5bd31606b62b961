export { createJsonClient, type JsonClient, type JsonClientOptions, type JsonRequest, type RequestAuth } from './json-client.ts';
export { createClientCredentialsAuth, type ClientCredentialsAuth, type ClientCredentialsOptions } from './client-credentials.ts';
export { errorForStatus, httpStatusOf, supplierCodeOf, type SupplierErrorInfo } from './http-errors.ts';
export type { FetchLike } from './transport.ts';
