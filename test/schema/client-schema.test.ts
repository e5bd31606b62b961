/**
 * The published client schema (schema/client/, `npm run client-schema`): what partners' tooling and Apollo Client
 * are given. It is what the committed supergraph yields now, it leaves out what only operators may use, and its
 * possibleTypes make Apollo Client's cache keep interface fields (`stale`, `asOf`) of concrete offers.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSchema, isInterfaceType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSchemaOf, clientSchemaOf, type ClientSchema } from '../../gateway/client-schema.ts';
import { DEFAULT_SUPERGRAPH_PATH } from '../../gateway/supergraph.ts';

const CLIENT = join(import.meta.dirname, '..', '..', 'schema', 'client');

describe('partner-facing client schema', () => {
  let generated: ClientSchema;
  let supergraph: string;
  beforeAll(async () => {
    supergraph = await readFile(DEFAULT_SUPERGRAPH_PATH, 'utf8');
    generated = clientSchemaOf(supergraph, await apiSchemaOf(supergraph));
  });

  it('the committed files are what the supergraph yields (run `npm run client-schema` after a schema change)', async () => {
    expect(await readFile(join(CLIENT, 'schema.graphql'), 'utf8')).toBe(generated.sdl);
    expect(JSON.parse(await readFile(join(CLIENT, 'possible-types.json'), 'utf8'))).toEqual(generated.possibleTypes);
  });

  it('leaves out every field and type only operators (admin scope) may use, and keeps the partner API', () => {
    const schema = buildSchema(generated.sdl);
    const query = schema.getQueryType()!.getFields();
    const mutation = schema.getMutationType()!.getFields();
    for (const adminOnly of ['stockDiscrepancies', 'reconciliationRuns', 'apiTokens']) expect(query[adminOnly], adminOnly).toBeUndefined();
    expect(mutation['issueApiToken']).toBeUndefined();
    expect(mutation['revokeApiToken']).toBeUndefined();
    for (const partner of ['products', 'product', 'order', 'orders', 'viewer']) expect(query[partner], partner).toBeDefined();
    expect(mutation['placeOrder']).toBeDefined();
    expect(schema.getSubscriptionType()!.getFields()['stockChanged']).toBeDefined();
    expect(generated.sdl).not.toMatch(/join__|link__|@scopes/);
  });

  it('possibleTypes lists every interface with its concrete types, so the cache keeps Offer.stale', () => {
    const schema = buildSchema(generated.sdl);
    const offer = schema.getType('Offer');
    expect(isInterfaceType(offer) && 'stale' in offer.getFields()).toBe(true);
    expect(generated.possibleTypes['Offer']).toEqual(['BrightlineOffer', 'HarborpromoOffer', 'MaplecartOffer']);
    for (const type of Object.values(schema.getTypeMap())) {
      if (isInterfaceType(type)) expect(generated.possibleTypes[type.name], type.name).toEqual(schema.getPossibleTypes(type).map((t) => t.name).sort());
    }
  });
});
