import { registryError } from '../../kernel/errors.ts';
import type { NewCredential, StoredCredential } from '../../platform/ports/credential-store.ts';

const SUPPLIER = /^[a-z][a-z0-9-]{0,62}$/;
const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** Names are checked the same way by every credential store, so a bad one fails alike in memory and in MongoDB. */
export function checkCredentialName(supplier: string, field: string): void {
  if (!SUPPLIER.test(supplier)) throw registryError('INVALID_INPUT', 'supplier must be a lower-case slug', { details: { field: 'supplier' } });
  if (!FIELD.test(field)) throw registryError('INVALID_INPUT', 'credential field must be an identifier', { details: { field: 'field' } });
}

export function checkNewCredential(credential: NewCredential): void {
  checkCredentialName(credential.supplier, credential.field);
  if (!credential.ciphertext.startsWith('v1.') || credential.kekId.length === 0) {
    // A plain value handed to the store by mistake must not be written anywhere.
    throw registryError('INVALID_INPUT', 'only sealed credentials can be stored', { details: { field: 'ciphertext' } });
  }
}

export const compareCredentials = (a: StoredCredential, b: StoredCredential): number =>
  a.supplier.localeCompare(b.supplier) || a.field.localeCompare(b.field) || a.version - b.version;
