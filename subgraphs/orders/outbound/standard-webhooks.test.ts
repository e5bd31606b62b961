import { describe, expect, it } from 'vitest';
import { signStandardWebhook, verifyStandardWebhook } from './standard-webhooks.ts';

describe('Standard Webhooks signature', () => {
  // The reference example published with the Standard Webhooks specification.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const ts = 1614265330;
  const body = '{"test": 2432232314}';

  it('matches the specification example', () => {
    expect(signStandardWebhook(secret, id, ts, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies its own signature, refuses a changed body and a stale timestamp', () => {
    const signature = signStandardWebhook(secret, id, ts, body);
    expect(verifyStandardWebhook(secret, { id, timestamp: String(ts), signature }, body, ts + 10)).toBe(true);
    expect(verifyStandardWebhook(secret, { id, timestamp: String(ts), signature }, body + ' ', ts + 10)).toBe(false);
    expect(verifyStandardWebhook(secret, { id, timestamp: String(ts), signature }, body, ts + 3600)).toBe(false);
    expect(verifyStandardWebhook(secret, { id, timestamp: String(ts), signature: `v1,bogus ${signature}` }, body, ts)).toBe(true);
  });
});
