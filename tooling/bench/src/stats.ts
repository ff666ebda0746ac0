/** Median of a non-empty list; the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `value / baseline`, rounded to 3 decimals; NaN when the baseline measured nothing. */
export function ratio(value: number, baseline: number): number {
  if (!(baseline > 0)) return Number.NaN;
  return Math.round((value / baseline) * 1000) / 1000;
}
