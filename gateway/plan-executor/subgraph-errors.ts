import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * A subgraph's error as the client sees it: @apollo/gateway's downstreamServiceError (executeQueryPlan.js), same
 * message (or Apollo's default), path mapped into the client's response, extensions with `serviceName`, and the
 * code Apollo gives (the subgraph's own, a known federation code, or DOWNSTREAM_SERVICE_ERROR).
 */
export function subgraphError(
  original: GraphQLFormattedError,
  serviceName: string,
  pathOf: (path: readonly (string | number)[] | undefined) => (string | number)[] | undefined,
): GraphQLError {
  let { message } = original;
  const { extensions } = original;
  if (!message) message = `Error while fetching subquery from service "${serviceName}"`;
  const options = {
    originalError: original as Error,
    path: pathOf(original.path),
    extensions: { ...extensions, serviceName },
  };
  const codeDef = errorCodeDef(original as never);
  if (!codeDef && extensions?.['code']) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}
