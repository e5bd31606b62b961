import { registryError } from '../../kernel/errors.ts';

/** Payloads cross processes as JSON, so both buses refuse what JSON cannot carry instead of delivering a mangled copy. */
export function serializePayload(topic: string, payload: unknown): string {
  if (typeof topic !== 'string' || topic === '') {
    throw registryError('INVALID_INPUT', 'An event topic must be a non-empty string');
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (error) {
    throw registryError('INVALID_INPUT', `Event payload for ${topic} is not serialisable as JSON`, { cause: error, details: { topic } });
  }
  if (json === undefined) {
    throw registryError('INVALID_INPUT', `Event payload for ${topic} is not serialisable as JSON`, { details: { topic } });
  }
  return json;
}
