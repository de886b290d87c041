/** Order statistics and a bootstrap for the benchmarks: medians and ratios with their spread, never means. */

export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const median = (xs: readonly number[]) => quantile(xs, 0.5);

/**
 * The ratio of two medians (`a / b`) with a 95% interval from 2,000 bootstrap resamples of each
 * side. Seeded, so a run's interval is reproducible from its samples.
 */
export function bootstrapRatio(a: readonly number[], b: readonly number[], resamples = 2_000): { ratio: number; ci95: [number, number] } {
  let state = 20261201;
  const random = () => (state = (state * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x80000000;
  const resample = (xs: readonly number[]) => Array.from({ length: xs.length }, () => xs[Math.floor(random() * xs.length)]!);
  const ratios = Array.from({ length: resamples }, () => median(resample(a)) / median(resample(b)));
  return { ratio: median(a) / median(b), ci95: [quantile(ratios, 0.025), quantile(ratios, 0.975)] };
}
