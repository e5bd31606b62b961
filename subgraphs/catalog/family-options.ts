import type { ProductOption } from '../../kernel/model.ts';

export interface FamilyOption {
  readonly name: string;
  readonly values: string[];
}

/** A family's options from its variants': each name once (first seen first) with its distinct values in variant order. */
export function familyOptions(variants: readonly { readonly options: readonly ProductOption[] }[]): FamilyOption[] {
  const byName = new Map<string, string[]>();
  for (const variant of variants) {
    for (const option of variant.options) {
      const values = byName.get(option.name) ?? [];
      if (!values.includes(option.value)) values.push(option.value);
      byName.set(option.name, values);
    }
  }
  return [...byName].map(([name, values]) => ({ name, values }));
}
