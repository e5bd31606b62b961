/**
 * `reserveStock`, `releaseReservation`, `commitReservation` and `reservation`: the reservation service over GraphQL.
 * Merged into the inventory subgraph's resolvers (index.ts). Registry errors (OUT_OF_STOCK, NOT_FOUND,
 * INVALID_INPUT, RESERVATION_NOT_HELD) reach the client with their code through subgraphs/graphql-errors.ts.
 */
import type { ReservationRecord, ReservationState as State } from '../../platform/ports/reservation-store.ts';
import type { SubgraphContext } from '../context.ts';
import type { Reservation, ReservationState, Resolvers, ResolversTypes } from './generated/resolvers-types.ts';
import type { ReservationService } from './reservations.ts';
import { checkAllowedSuppliers } from './reservation-input.ts';

const STATE = {
  pending: 'PENDING',
  held: 'HELD',
  released: 'RELEASED',
  committed: 'COMMITTED',
  expired: 'EXPIRED',
  failed: 'FAILED',
} as const satisfies Record<State, ReservationState>;

type ReservationView = ResolversTypes['Reservation'];
type ItemView = ResolversTypes['ReservationItem'];

export function toReservationView(r: ReservationRecord): ReservationView {
  const view: Omit<Reservation, 'items'> & { items: ItemView[] } = {
    id: r.id,
    state: STATE[r.state],
    items: r.items.map((item) => ({ ...item, product: { sku: item.sku } })),
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
    idempotencyKey: r.idempotencyKey,
    settledAt: r.settledAt,
  };
  return view;
}

type ReservationResolvers = Pick<Resolvers<SubgraphContext>, 'Query' | 'Mutation'>;

export function createReservationResolvers(service: ReservationService): ReservationResolvers {
  /**
   * A partner limited to some suppliers may settle only reservations whose every item is of those suppliers (a
   * tenant can hold tokens with different limits). The items of a reservation never change, so reading them first
   * is not a race. An unknown id goes on to the service, which answers NOT_FOUND as it always has.
   */
  const checkSettle = async (id: string, ctx: SubgraphContext): Promise<void> => {
    if (ctx.auth.suppliers === undefined) return;
    const found = await service.getReservation(id, { tenant: ctx.tenant });
    if (found !== null) checkAllowedSuppliers(ctx.auth, found.items);
  };
  return {
    Query: {
      reservation: async (_root, { id }, ctx) => {
        const found = await service.getReservation(id, { tenant: ctx.tenant });
        return found === null ? null : toReservationView(found);
      },
    },
    Mutation: {
      reserveStock: async (_root, { input }, ctx) => {
        // Before the service: a refused supplier must not leave a reservation document or a hold behind.
        checkAllowedSuppliers(ctx.auth, input.items);
        const reservation = await service.reserveStock(
          input.items.map((i) => ({ sku: i.sku, supplier: i.supplier, quantity: i.quantity })),
          // Seconds on the wire; the service validates the range (INVALID_INPUT) in milliseconds.
          input.ttlSeconds * 1000,
          { tenant: ctx.tenant, idempotencyKey: input.idempotencyKey ?? null },
        );
        return toReservationView(reservation);
      },
      releaseReservation: async (_root, { id }, ctx) => {
        await checkSettle(id, ctx);
        return toReservationView(await service.releaseReservation(id, { tenant: ctx.tenant }));
      },
      commitReservation: async (_root, { id }, ctx) => {
        await checkSettle(id, ctx);
        return toReservationView(await service.commitReservation(id, { tenant: ctx.tenant }));
      },
    },
  };
}
