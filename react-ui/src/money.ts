/** Money arrives in minor units with an ISO currency (docs/data-model.md): 129900 EUR is 1,299.00 €. */

const cache = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let value = cache.get(key);
  if (!value) {
    // "always": Spanish CLDR data skips the separator in 4-digit numbers (1299,00 €); shops write 1.299,00 €.
    value = new Intl.NumberFormat(locale, { style: "currency", currency, useGrouping: "always" });
    cache.set(key, value);
  }
  return value;
}

/** Digits after the decimal point for a currency (2 for EUR, 0 for JPY). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatPrice(minor: number, currency: string, locale: string): string {
  return formatter(locale, currency).format(minor / 10 ** minorDigits(currency));
}

export function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}
