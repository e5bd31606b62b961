/** A credential the connector cannot work without: MISCONFIGURED at creation, before any call to the supplier. */
import { RegistryError } from '../../kernel/errors.ts';
import type { SupplierCredentials } from './family.ts';

export function requiredCredential(slug: string, credentials: SupplierCredentials, name: string): string {
  const value = credentials[name];
  if (!value) throw new RegistryError('MISCONFIGURED', `supplier ${slug}: credential ${name} is not set`, { supplier: slug });
  return value;
}
