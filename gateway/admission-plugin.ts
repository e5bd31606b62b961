/**
 * Adaptive admission (GATEWAY_ADMISSION, platform/http/admission-gate.ts) as an Apollo Server plugin: an operation
 * waits for its turn after it was authenticated, parsed, validated and checked by the operation guard — those are
 * cheap and cached — and before it is planned and executed, which is what holds memory and the event loop.
 *
 * Listed after in-flight de-duplication: a request that joins an identical operation already running takes that
 * operation's answer and never needs a turn of its own (Apollo stops at the first plugin that answers), so a queue
 * at the gate does not keep identical requests from sharing one execution.
 *
 * An operation waits at most half of what is left of its request budget, so the other half is left to run it; then
 * it is refused with GATEWAY_SATURATED (503, transient, `Retry-After: 1`): nothing was done, a client may retry.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { CODE, ERRORS } from '../kernel/errors.ts';
import { AdmissionTimeout, type AdmissionGate, type Release } from '../platform/http/admission-gate.ts';
import type { RequestBudget } from '../platform/http/request-budget.ts';

interface AdmissionContext {
  readonly budget?: RequestBudget;
}

export interface AdmissionPluginOptions {
  readonly gate: AdmissionGate;
  /** The wait bound of a request without a budget (the gateway's own probes). */
  readonly defaultBudgetMs: number;
  readonly onRefused?: () => void;
}

export function useAdmission(options: AdmissionPluginOptions): ApolloServerPlugin<AdmissionContext> {
  return {
    async requestDidStart() {
      let release: Release | undefined;
      const done = () => {
        release?.();
        release = undefined;
      };
      return {
        async responseForOperation({ contextValue }) {
          const maxWaitMs = Math.floor((contextValue.budget?.remainingMs() ?? options.defaultBudgetMs) / 2);
          try {
            const turn = options.gate.enter(maxWaitMs);
            release = typeof turn === 'function' ? turn : await turn;
          } catch (error) {
            if (!(error instanceof AdmissionTimeout)) throw error;
            options.onRefused?.();
            // An answer, not a throw: Apollo Server turns an error thrown here into a 500 "Internal server error".
            return {
              http: { status: ERRORS.GATEWAY_SATURATED.httpStatus, headers: new HeaderMap([['retry-after', '1']]) },
              body: {
                kind: 'single',
                singleResult: {
                  errors: [{
                    message: `The gateway is saturated: the operation waited ${error.waitedMs} ms for its turn and did not start; retry later`,
                    extensions: { code: CODE.GATEWAY_SATURATED, retryAfterMs: 1_000 },
                  }],
                },
              },
            };
          }
          return null;
        },
        // The answer is complete (or the first part of an incremental one): the next operation may run.
        async willSendResponse() {
          done();
        },
      };
    },
  };
}
