export { createGraphqlClient, type FetchLike, type GraphqlClient, type GraphqlClientOptions, type GraphqlRequest, type GraphqlResult } from './client.ts';
export {
  codeForGraphqlErrors,
  graphqlErrorSchema,
  userErrorSchema,
  userErrorsError,
  type GraphqlError,
  type GraphqlErrorContext,
  type UserError,
} from './errors.ts';
export {
  queryCostSchema,
  readQueryCost,
  throttleStatusSchema,
  throttleWaitMs,
  waitFromCost,
  type ObservedThrottleStatus,
  type QueryCost,
  type ThrottleStatus,
} from './throttle.ts';
