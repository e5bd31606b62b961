/** Every protocol family, by family name (the suppliers file's `family`). Keyed by family, never by supplier. */
import type { SupplierFamilyName } from '../../platform/suppliers-file.ts';
import { brightlineRestFamily } from './brightline-rest.ts';
import type { SupplierFamily } from './family.ts';
import { maplecartGraphqlFamily } from './maplecart-graphql.ts';
import { promostandardsFamily } from './promostandards.ts';

export const FAMILY_MODULES: Readonly<Record<SupplierFamilyName, SupplierFamily>> = {
  promostandards: promostandardsFamily,
  'brightline-rest': brightlineRestFamily,
  'maplecart-graphql': maplecartGraphqlFamily,
};

export const familyOf = (name: SupplierFamilyName): SupplierFamily => FAMILY_MODULES[name];
export type { SupplierFamily } from './family.ts';
