import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { loadServiceConfig } from './service-config.ts';

const KEK = `test:${randomBytes(32).toString('base64')}`;
const MONGO = { MONGO_URL: 'mongodb://127.0.0.1:27017' };

describe('loadServiceConfig: no data that dies with a process', () => {
  it('refuses MONGO_URL without SECRETS_KEK with a ConfigError naming the setting and how to make a key', () => {
    let error: unknown;
    try {
      loadServiceConfig(MONGO);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^invalid configuration:\n {2}SECRETS_KEK: required when MONGO_URL is set/);
    expect(message).toContain('openssl rand -base64 32');
  });

  it('treats an empty SECRETS_KEK as unset (an env file with `SECRETS_KEK=` and nothing after it)', () => {
    expect(() => loadServiceConfig({ ...MONGO, SECRETS_KEK: '  ' })).toThrow(/SECRETS_KEK: required when MONGO_URL is set/);
  });

  it('starts with MONGO_URL and SECRETS_KEK, and the key is the one given', () => {
    const config = loadServiceConfig({ ...MONGO, SECRETS_KEK: KEK });
    expect(config.mongoUrl).toBe(MONGO.MONGO_URL);
    expect(config.secrets.kek?.id).toBe('test');
  });

  it('keeps embedded runs (no MONGO_URL) free of the requirement, Redis or not', () => {
    expect(loadServiceConfig({}).secrets.kek).toBeUndefined();
    expect(loadServiceConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).mongoUrl).toBeUndefined();
  });

  it('still reports a malformed key as the key being wrong, never echoing it', () => {
    expect(() => loadServiceConfig({ ...MONGO, SECRETS_KEK: 'not-base64!!' })).toThrow(/SECRETS_KEK: key must be base64/);
    expect(() => loadServiceConfig({ ...MONGO, SECRETS_KEK: 'not-base64!!' })).not.toThrow(/not-base64!!/);
  });
});
