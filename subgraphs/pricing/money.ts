import BigNumber from 'bignumber.js';
import type { Money } from '../../kernel/model.ts';

/**
 * Exact decimal arithmetic for prices (bignumber.js): amounts travel as decimal strings (kernel Money) and are
 * computed as decimals, never as floats, so 0.1 + 0.2 is 0.3 and a 15-digit price keeps every digit.
 * One configured constructor, so no global setting of the library is changed for anyone else.
 */
export const Dec = BigNumber.clone({ DECIMAL_PLACES: 20, ROUNDING_MODE: BigNumber.ROUND_HALF_UP, EXPONENTIAL_AT: [-30, 40] });
export type Dec = BigNumber;

/** Minor units of a currency (ISO 4217); 2 unless listed. */
const MINOR_UNITS: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, CLP: 0, ISK: 0, VND: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };
export const minorUnitsOf = (currency: string): number => MINOR_UNITS[currency] ?? 2;

/** A decimal string as a decimal; throws on anything that is not a finite number. */
export function dec(value: string | number | BigNumber): BigNumber {
  const d = new Dec(value);
  if (!d.isFinite()) throw new RangeError(`not a finite decimal: ${String(value)}`);
  return d;
}

/** An amount in a currency, at the currency's minor units (half up), as kernel Money. */
export const money = (amount: BigNumber, currency: string): Money => ({ amount: amount.toFixed(minorUnitsOf(currency), BigNumber.ROUND_HALF_UP), currency });

/** A plain decimal string (no exponent), for rates and percentages. */
export const plain = (d: BigNumber): string => d.toFixed();
