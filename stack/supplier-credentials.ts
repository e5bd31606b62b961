/**
 * Where a configured supplier's credentials come from, per field: the credential store (sealed, opened here in
 * memory) when it holds that field, else the environment (`BRIGHTLINE_CLIENT_SECRET`, ...). The store wins so an
 * operator can move a secret out of the environment, or rotate it, without a config change. Bundled sandboxes use
 * their own development credentials and never consult either. Logs name the fields and their source, never values.
 */
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { CredentialStore } from '../platform/ports/credential-store.ts';
import { createCredentialVault, type CredentialVault } from '../platform/secrets/credential-vault.ts';
import { createEnvKms } from '../platform/secrets/envelope.ts';

export type SupplierCredentials = Readonly<Record<string, string | undefined>>;

export interface SupplierCredentialSource {
  resolve(supplier: string, fromEnvironment: SupplierCredentials): Promise<SupplierCredentials>;
  /**
   * Re-reads a supplier's credentials the same way (store first, then environment), for a connector that picks up a
   * rotated secret without a restart; undefined without a credential store. Logs the names of fields whose stored
   * value changed, never values; a failed read is logged and thrown (the caller keeps what it had).
   */
  reader(supplier: string, fromEnvironment: SupplierCredentials): (() => Promise<SupplierCredentials>) | undefined;
}

/** The vault over the configured KEKs (SECRETS_KEK, SECRETS_KEK_PREVIOUS); it opens nothing without SECRETS_KEK. */
export function vaultOf(config: Pick<Config, 'secrets'>, store: CredentialStore): CredentialVault {
  const { kek, previousKeks } = config.secrets;
  return createCredentialVault({ store, kms: kek ? createEnvKms({ current: kek, previous: previousKeks }) : undefined });
}

export function createSupplierCredentialSource(options: { config: Pick<Config, 'secrets'>; store: CredentialStore | undefined; log: Logger }): SupplierCredentialSource {
  const vault = options.store ? vaultOf(options.config, options.store) : undefined;
  return {
    async resolve(supplier, fromEnvironment) {
      const stored = vault ? await vault.read(supplier) : {};
      const fields = Object.keys(stored);
      if (fields.length > 0) {
        const fromEnv = Object.keys(fromEnvironment).filter((f) => !(f in stored) && fromEnvironment[f] !== undefined);
        options.log.info({ supplier, fromStore: fields.sort(), fromEnv }, 'supplier credentials: credential store first, then environment');
      }
      return { ...fromEnvironment, ...stored };
    },
    reader(supplier, fromEnvironment) {
      if (!vault) return undefined;
      let previous: Readonly<Record<string, string>> | undefined;
      return async () => {
        let stored: Readonly<Record<string, string>>;
        try {
          stored = await vault.read(supplier);
        } catch (error) {
          options.log.warn({ supplier, err: error }, 'supplier credentials: re-reading the credential store failed; keeping the ones in use');
          throw error;
        }
        const changed = previous === undefined ? [] : Object.keys(stored).filter((f) => stored[f] !== previous![f]);
        if (changed.length > 0) options.log.info({ supplier, changed: changed.sort() }, 'supplier credentials: the credential store holds new values; using them from now on');
        previous = stored;
        return { ...fromEnvironment, ...stored };
      };
    },
  };
}
