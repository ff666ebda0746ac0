/** A ratio as the reports print it: two decimals, `n/a` when it could not be taken. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}
