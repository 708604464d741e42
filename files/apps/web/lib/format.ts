// Money and dates as the POS shows them. Pure functions, tested in test/.
export function formatCents(cents: number, currency = "EUR", locale = "en-IE"): string {
  if (!Number.isInteger(cents)) throw new Error(`an amount in cents must be an integer, got ${cents}`);
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

export function formatTime(iso: string, locale = "en-IE", timeZone = "UTC"): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${iso}`);
  return new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium", timeZone }).format(date);
}
