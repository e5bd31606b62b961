/**
 * `npm run credentials -- <command>`: manage sealed supplier credentials (docs/security.md, "Supplier credentials").
 *   set <supplier> <field>   reads the value from stdin (pipe it: it is never an argument, so never in shell history
 *                            or `ps`), seals it and stores it as the newest version
 *   list                     supplier, field, version, KEK id and date of each credential; never a value
 *   rotate-kek               re-wraps every data key under SECRETS_KEK (run once SECRETS_KEK_PREVIOUS is set everywhere)
 * Every change is written to the audit log. The entry point (bin/credentials.ts) supplies stores, config and I/O.
 */
import { isRegistryError } from '../../kernel/errors.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { CredentialVault } from './credential-vault.ts';

export interface CredentialsCliContext {
  readonly vault: CredentialVault;
  readonly audit: AuditLog;
  /** Credential fields each supplier takes, e.g. { brightline: ['clientId', 'clientSecret'] }. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
  /** `cli:<user>` */
  readonly actor: string;
  readStdin(): Promise<string>;
  out(line: string): void;
  err(line: string): void;
}

export const CREDENTIALS_USAGE = `usage: npm run credentials -- set <supplier> <field>   (value on stdin)
       npm run credentials -- list
       npm run credentials -- rotate-kek`;

/** One trailing newline (from echo or a file) is not part of the value; anything else is kept as given. */
const stripFinalNewline = (text: string): string => text.replace(/\r?\n$/, '');

export async function runCredentialsCli(args: readonly string[], ctx: CredentialsCliContext): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'set':
        return await set(rest, ctx);
      case 'list':
        for (const c of await ctx.vault.list()) ctx.out(`${c.supplier}\t${c.field}\tv${c.version}\t${c.kekId}\t${c.createdAt}`);
        return 0;
      case 'rotate-kek': {
        const summary = await ctx.vault.rotate();
        const failed = summary.failed.length;
        await ctx.audit.record({ actor: ctx.actor, action: 'supplier_credential.kek_rotated', outcome: failed === 0 ? 'success' : 'failure', target: `kek:${summary.kekId}`, reason: failed === 0 ? null : 'MISCONFIGURED' });
        ctx.out(`re-wrapped ${summary.rewrapped}, already under ${summary.kekId}: ${summary.alreadyCurrent}, failed: ${failed}`);
        for (const f of summary.failed) ctx.err(`cannot re-wrap ${f.supplier}/${f.field} v${f.version}: key ${f.kekId} is not in SECRETS_KEK_PREVIOUS`);
        return failed === 0 ? 0 : 1;
      }
      default:
        ctx.err(CREDENTIALS_USAGE);
        return 2;
    }
  } catch (error) {
    // Registry errors are written to be safe to show; anything else is summarised by name only.
    ctx.err(isRegistryError(error) ? `${error.code}: ${error.message}` : `failed: ${error instanceof Error ? error.name : 'error'}`);
    return 1;
  }
}

async function set(args: readonly string[], ctx: CredentialsCliContext): Promise<number> {
  const [supplier, field] = args;
  if (!supplier || !field || args.length !== 2) {
    ctx.err(CREDENTIALS_USAGE);
    return 2;
  }
  const known = ctx.fields[supplier];
  if (!known) {
    ctx.err(`unknown supplier ${supplier}; known: ${Object.keys(ctx.fields).join(', ')}`);
    return 2;
  }
  if (!known.includes(field)) {
    ctx.err(`${supplier} has no credential ${field}; its fields: ${known.join(', ')}`);
    return 2;
  }
  const value = stripFinalNewline(await ctx.readStdin());
  const target = `supplier-credential:${supplier}/${field}`;
  try {
    const stored = await ctx.vault.set(supplier, field, value);
    await ctx.audit.record({ actor: ctx.actor, action: 'supplier_credential.set', outcome: 'success', target: `${target}#v${stored.version}` });
    // Brightline's OAuth client re-reads the vault at each token request; the other connectors read it at start.
    ctx.out(`stored ${supplier}/${field} v${stored.version} under ${stored.kekId}; running processes use it from their next OAuth token request (brightline), else after a rolling restart`);
    return 0;
  } catch (error) {
    await ctx.audit.record({ actor: ctx.actor, action: 'supplier_credential.set', outcome: 'failure', target, reason: isRegistryError(error) ? error.code : 'INTERNAL' }).catch(() => undefined);
    throw error;
  }
}
