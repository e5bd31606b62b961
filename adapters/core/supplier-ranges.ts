/**
 * Ranges on what a supplier says: quantities, prices, lead times, dates and identifiers. Every mapping module checks
 * the figures it keeps against these before using them, so a hostile or broken answer (a 100,000-digit price, a lead
 * time of 1e300 weeks, a date in the year 9999) is a CONTRACT_VIOLATION naming the field and our reason, never a
 * frozen event loop, an internal error or a figure served verbatim. Length is checked before any other work, and
 * nothing here uses a regular expression: every check is one linear pass over a bounded string.
 *
 * Messages are our words (source, field path, reason); the supplier's value is never quoted (docs/security.md,
 * "Ranges").
 */
import { RegistryError } from '../../kernel/errors.ts';

export const SUPPLIER_RANGES = Object.freeze({
  /** Longest price text read, in characters, spaces included ("1234567890.123456" is 17). */
  maxPriceChars: 32,
  /** Most decimals a price may carry once trailing zeros are dropped; finer quotes are refused, never rounded. */
  maxPriceDecimals: 6,
  /** Largest quantity (units on hand, ordered, shipped) believed; a sum over warehouses is held to it too. */
  maxQuantity: 1_000_000_000,
  /** Longest lead time believed, in days. */
  maxLeadTimeDays: 365,
  /** Longest date text read, in characters. */
  maxDateChars: 64,
  /** Dates outside these years (UTC) are refused. */
  earliestYear: 2000,
  latestYear: 2100,
  /** Longest identifier kept (SKU, part, order, tracking number, carrier, cursor); PromoStandards allows 128. */
  maxIdentifierChars: 128,
});

export type RangeReason =
  | 'price-too-long'
  | 'price-not-decimal'
  | 'price-negative'
  | 'price-too-precise'
  | 'quantity-out-of-range'
  | 'lead-time-out-of-range'
  | 'date-too-long'
  | 'date-unreadable'
  | 'date-out-of-range'
  | 'identifier-too-long'
  | 'not-an-element'
  | 'not-a-value'
  | 'malformed'
  | 'unknown-word';

const WORDS: Readonly<Record<RangeReason, string>> = {
  'price-too-long': `is longer than ${SUPPLIER_RANGES.maxPriceChars} characters`,
  'price-not-decimal': 'is not a plain decimal number',
  'price-negative': 'is negative',
  'price-too-precise': `has more than ${SUPPLIER_RANGES.maxPriceDecimals} decimals`,
  'quantity-out-of-range': `is not a whole number of units between 0 and ${SUPPLIER_RANGES.maxQuantity}`,
  'lead-time-out-of-range': `is not a lead time between 0 and ${SUPPLIER_RANGES.maxLeadTimeDays} days`,
  'date-too-long': `is longer than ${SUPPLIER_RANGES.maxDateChars} characters`,
  'date-unreadable': 'is not a date',
  'date-out-of-range': `is not a date between the years ${SUPPLIER_RANGES.earliestYear} and ${SUPPLIER_RANGES.latestYear}`,
  'identifier-too-long': `is longer than ${SUPPLIER_RANGES.maxIdentifierChars} characters`,
  'not-an-element': 'is not an element with children',
  'not-a-value': 'is not a single value',
  'malformed': 'does not have the type its schema gives it',
  'unknown-word': 'is not a word of the standard',
};

/**
 * Who said it: the supplier's slug when the mapping knows it, else a family label ("PromoStandards answer") for
 * mappings shared by every supplier of a family; the connector's logs name the supplier either way.
 */
export interface RangeSource {
  readonly supplier?: string;
  readonly label: string;
}

/** CONTRACT_VIOLATION for one field: `details.reason` and `details.field` (our path); no supplier value anywhere. */
export function rangeViolation(source: RangeSource, field: string, reason: RangeReason, extra: Readonly<Record<string, unknown>> = {}): RegistryError {
  return new RegistryError('CONTRACT_VIOLATION', `${source.label}: ${field} ${WORDS[reason]}`, {
    ...(source.supplier ? { supplier: source.supplier } : {}),
    // `extra` is for supplier words already cleaned (cleanSupplierText) for the operator log.
    details: { ...extra, reason, field },
  });
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** A decimal as written, split: `whole` without leading zeros ("0" at least), `fraction` with trailing zeros dropped. */
export interface ScannedDecimal {
  readonly negative: boolean;
  readonly whole: string;
  readonly fraction: string;
}

export interface DecimalSyntax {
  /** A leading + or - (xsd:decimal); otherwise digits only. */
  readonly sign?: boolean;
  /** ".5" and "5." (xsd:decimal); otherwise digits on both sides of the point. */
  readonly bareDot?: boolean;
}

/** One pass over `text` (already trimmed); null when it is not a decimal of the given syntax. */
export function scanDecimal(text: string, syntax: DecimalSyntax = {}): ScannedDecimal | null {
  let i = 0;
  let negative = false;
  if (syntax.sign && (text[0] === '+' || text[0] === '-')) {
    negative = text[0] === '-';
    i = 1;
  }
  const wholeStart = i;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  const wholeEnd = i;
  let fractionStart = i;
  let fractionEnd = i;
  if (i < text.length && text[i] === '.') {
    fractionStart = ++i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    fractionEnd = i;
    const hasFractionDigits = fractionEnd > fractionStart;
    if (!syntax.bareDot && (!hasFractionDigits || wholeEnd === wholeStart)) return null;
    if (!hasFractionDigits && wholeEnd === wholeStart) return null;
  } else if (wholeEnd === wholeStart) {
    return null;
  }
  if (i !== text.length) return null;
  let firstSignificant = wholeStart;
  while (firstSignificant < wholeEnd - 1 && text[firstSignificant] === '0') firstSignificant++;
  let lastSignificant = fractionEnd;
  while (lastSignificant > fractionStart && text[lastSignificant - 1] === '0') lastSignificant--;
  return {
    negative,
    whole: wholeEnd > wholeStart ? text.slice(firstSignificant, wholeEnd) : '0',
    fraction: text.slice(fractionStart, lastSignificant),
  };
}

/**
 * A non-negative price within length and precision: length first (before trimming, so the supplier's text never
 * costs more than 32 characters of work), then one scan. A JSON number is read through its shortest round-trip text.
 */
export function checkPrice(value: string | number, source: RangeSource, field: string, syntax: DecimalSyntax = {}): ScannedDecimal {
  if (typeof value === 'number' && !Number.isFinite(value)) throw rangeViolation(source, field, 'price-not-decimal');
  const text = typeof value === 'number' ? String(value) : value;
  if (text.length > SUPPLIER_RANGES.maxPriceChars) throw rangeViolation(source, field, 'price-too-long');
  const scanned = scanDecimal(text.trim(), { sign: syntax.sign || typeof value === 'number', bareDot: syntax.bareDot ?? false });
  if (!scanned) throw rangeViolation(source, field, 'price-not-decimal');
  if (scanned.negative && (scanned.whole !== '0' || scanned.fraction !== '')) throw rangeViolation(source, field, 'price-negative');
  if (scanned.fraction.length > SUPPLIER_RANGES.maxPriceDecimals) throw rangeViolation(source, field, 'price-too-precise');
  return { negative: false, whole: scanned.whole, fraction: scanned.fraction };
}

/** "12.5" → "12.50", "7" → "7.00", "0.12345" stays: at least two decimals, no trailing zeros beyond them. */
export const canonicalAmount = (price: ScannedDecimal): string => `${price.whole}.${price.fraction.padEnd(2, '0')}`;

/**
 * A count of units: a finite integer between `min` and the maximum quantity. `min` is 0 unless the supplier may
 * legitimately report an oversold figure (a negative bin, Shopify's CONTINUE policy), which the mapping floors at 0.
 */
export function checkQuantity(value: number, source: RangeSource, field: string, min = 0): number {
  if (!Number.isInteger(value) || value < min || value > SUPPLIER_RANGES.maxQuantity) throw rangeViolation(source, field, 'quantity-out-of-range');
  return value;
}

/** A lead time in whole days, 0 to the maximum; `days` may be computed (weeks × 7) before rounding. */
export function checkLeadTimeDays(days: number, source: RangeSource, field: string): number {
  if (!Number.isFinite(days) || days < 0) throw rangeViolation(source, field, 'lead-time-out-of-range');
  const rounded = Math.round(days);
  if (rounded > SUPPLIER_RANGES.maxLeadTimeDays) throw rangeViolation(source, field, 'lead-time-out-of-range');
  return rounded;
}

const EARLIEST_MS = Date.UTC(SUPPLIER_RANGES.earliestYear, 0, 1);
const LATEST_MS = Date.UTC(SUPPLIER_RANGES.latestYear + 1, 0, 1) - 1;

/** An ISO 8601 instant from the supplier's date text: bounded length, parseable, within the window. */
export function checkDate(text: string, source: RangeSource, field: string): string {
  if (text.length > SUPPLIER_RANGES.maxDateChars) throw rangeViolation(source, field, 'date-too-long');
  return checkInstant(Date.parse(text), source, field);
}

/** The same window for a date the protocol library already parsed (a Date, or epoch milliseconds). */
export function checkInstant(ms: number, source: RangeSource, field: string): string {
  if (Number.isNaN(ms)) throw rangeViolation(source, field, 'date-unreadable');
  if (ms < EARLIEST_MS || ms > LATEST_MS) throw rangeViolation(source, field, 'date-out-of-range');
  return new Date(ms).toISOString();
}

/** True when `text` is a date within the window (for mappings whose rule for a bad date is a fallback). */
export function isDateInRange(text: string): boolean {
  if (text.length > SUPPLIER_RANGES.maxDateChars) return false;
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && ms >= EARLIEST_MS && ms <= LATEST_MS;
}

/** An identifier (SKU, order id, tracking number, carrier, cursor) no longer than the maximum. */
export function checkIdentifier(text: string, source: RangeSource, field: string): string {
  if (text.length > SUPPLIER_RANGES.maxIdentifierChars) throw rangeViolation(source, field, 'identifier-too-long');
  return text;
}
