/**
 * Port: exclusive, expiring leases for singleton work (a supplier's stock polls, scheduled reconciliation) shared by
 * every `jobs` process, with fencing tokens (docs/architecture.md, "Roles"). Redis in production (one Lua script
 * per step: atomic on the server), in-memory embedded.
 *
 * A grant carries a fencing token that is larger than every token given before for the same lease name, whoever
 * held it: a write checked against the current grant (`isCurrent`) is refused to a holder whose lease passed on.
 */
export interface LeaseGrant {
  readonly name: string;
  /** Who holds it: a process id of our own making (host, pid, random). */
  readonly holder: string;
  /** Strictly increasing per lease name, across holders and restarts of the holders (not of the store). */
  readonly token: number;
}

export interface LeaseStore {
  /** Takes the lease when nobody holds it (or its holder's expired); null when another holder has it. */
  acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | null>;
  /** Extends a lease still held by this grant to `ttlMs` from now; false when it is no longer this grant's. */
  renew(grant: LeaseGrant, ttlMs: number): Promise<boolean>;
  /** The fence: whether this grant is still the current one (not expired, not passed on). */
  isCurrent(grant: LeaseGrant): Promise<boolean>;
  /** Gives the lease up when it is still this grant's (a clean stop hands over at once, not after the TTL). */
  release(grant: LeaseGrant): Promise<void>;
  close(): Promise<void>;
}

export function checkLeaseTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs < 10) throw new RangeError(`lease TTL must be a whole number of milliseconds ≥ 10, got ${ttlMs}`);
}
