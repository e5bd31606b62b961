/** The answer size caps of one suppliers-file entry (`maxAnswerBytes`), with the product default for the rest. */
import { answerLimits, DEFAULT_MAX_ANSWER_BYTES, type AnswerLimits } from '../../adapters/core/answer-cap.ts';
import type { SupplierEntry } from '../../platform/suppliers-file.ts';

export function answerLimitsOf(entry: SupplierEntry): AnswerLimits {
  const caps = entry.maxAnswerBytes;
  return answerLimits(caps?.default ?? DEFAULT_MAX_ANSWER_BYTES, (caps?.operations ?? {}) as Readonly<Record<string, number>>);
}
