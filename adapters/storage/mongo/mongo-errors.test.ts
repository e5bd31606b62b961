import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { isUnavailableError, storeCall } from './mongo-errors.ts';

describe('storeCall (issue 12: MongoDB down is STORE_UNAVAILABLE, a bug stays STORE_FAILURE)', () => {
  it('maps the driver\'s unreachable and timeout errors to STORE_UNAVAILABLE (transient), naming the operation, not the host', async () => {
    const unreachable = new MongoNetworkError('connect ECONNREFUSED 10.1.2.3:27017');
    const error = await storeCall('catalog.get', () => Promise.reject(unreachable)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', errorClass: 'transient', operation: 'catalog.get' });
    expect((error as Error).message).toContain('MongoNetworkError');
    expect((error as Error).message).not.toContain('10.1.2.3');
    expect(isUnavailableError(new MongoServerSelectionError('Server selection timed out after 2000 ms', { error: undefined } as never))).toBe(true);
    expect(isUnavailableError(new MongoServerError({ message: 'operation exceeded time limit', code: 50 }))).toBe(true);
  });

  it('keeps other failures STORE_FAILURE (critical): a refused write is not an outage', async () => {
    const duplicate = new MongoServerError({ message: 'E11000 duplicate key', code: 11000 });
    await expect(storeCall('orders.insert', () => Promise.reject(duplicate))).rejects.toMatchObject({ code: 'STORE_FAILURE', errorClass: 'critical' });
    expect(isUnavailableError(duplicate)).toBe(false);
  });
});
