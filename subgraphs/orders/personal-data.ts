import type { PostalAddress } from '../../kernel/model.ts';
import type { SealedCustomer } from '../../platform/ports/order-store.ts';
import { openSecret, sealSecret, type Kms } from '../../platform/secrets/envelope.ts';

/**
 * Customer personal data is stored sealed field by field (AES-256-GCM envelope, platform/secrets/envelope.ts), each
 * bound to `order-pii/<tenant>/<orderId>/<field>` so a ciphertext copied onto another order or field does not open.
 */
const FIELDS = ['name', 'company', 'line1', 'line2', 'city', 'region', 'postalCode', 'country', 'phone', 'email'] as const;

const contextOf = (tenant: string, orderId: string, field: string): string => `order-pii/${tenant}/${orderId}/${field}`;

export async function sealCustomer(kms: Kms, tenant: string, orderId: string, address: PostalAddress): Promise<SealedCustomer> {
  const sealed: Record<string, SealedCustomer[string]> = {};
  for (const field of FIELDS) {
    const value = address[field];
    sealed[field] = value === null || value === undefined ? null : await sealSecret(kms, value, contextOf(tenant, orderId, field));
  }
  return sealed;
}

export async function openCustomer(kms: Kms, tenant: string, orderId: string, sealed: SealedCustomer): Promise<PostalAddress> {
  const out: Record<string, string | null> = {};
  for (const field of FIELDS) {
    const value = sealed[field];
    out[field] = value === null || value === undefined ? null : await openSecret(kms, value, contextOf(tenant, orderId, field));
  }
  return {
    name: out['name'] ?? '',
    company: out['company'] ?? null,
    line1: out['line1'] ?? '',
    line2: out['line2'] ?? null,
    city: out['city'] ?? '',
    region: out['region'] ?? null,
    postalCode: out['postalCode'] ?? '',
    country: out['country'] ?? '',
    phone: out['phone'] ?? null,
    email: out['email'] ?? null,
  };
}
