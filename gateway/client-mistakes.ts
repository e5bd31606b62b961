import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { CODE, ERRORS } from '../kernel/errors.ts';

/**
 * Client mistakes that Apollo Server hands to @apollo/gateway, which then fails them as 500: no operation to run
 * (an unknown `operationName`, or none given for a document with several operations), and a subscription sent over
 * HTTP (subscriptions are served over graphql-ws on the same URL, docs/subscriptions.md). Refused here with 400 and
 * a code from docs/errors.md, before the access checks and the planner look at them.
 */
export function useClientMistakes(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) {
            const message = request.operationName
              ? `Unknown operation named "${request.operationName}"`
              : 'Must provide operationName when the document contains several operations';
            throw new GraphQLError(message, { extensions: { code: CODE.OPERATION_RESOLUTION_FAILURE, http: { status: ERRORS.OPERATION_RESOLUTION_FAILURE.httpStatus } } });
          }
          if (operation.operation === 'subscription') {
            throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws, subprotocol graphql-transport-ws) at /graphql, not over HTTP', {
              extensions: { code: CODE.BAD_REQUEST, http: { status: ERRORS.BAD_REQUEST.httpStatus } },
            });
          }
        },
      };
    },
  };
}
