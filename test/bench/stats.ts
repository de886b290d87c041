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
/**
 * For two arms measured in turn, sample i of each in the same round: the median of the rounds' own
 * ratios (`a[i] / b[i]`), with a 95% interval from 2,000 bootstrap resamples of the rounds. A round's
 * two samples share the machine's state at that moment, so drift between rounds, which on this shared
 * machine is larger than most changes, cancels in each ratio instead of widening the interval.
 */
export function pairedRatio(a: readonly number[], b: readonly number[], resamples = 2_000): { ratio: number; ci95: [number, number] } {
  if (a.length !== b.length || a.length === 0) throw new Error(`paired samples need as many of each, and some: ${a.length} and ${b.length}`);
  const ratios = a.map((x, i) => x / b[i]!);
  const random = seeded();
  const medians = Array.from({ length: resamples }, () => median(Array.from({ length: ratios.length }, () => ratios[Math.floor(random() * ratios.length)]!)));
  return { ratio: median(ratios), ci95: [quantile(medians, 0.025), quantile(medians, 0.975)] };
}

/** The benchmarks' pseudo-random numbers in [0, 1), the same sequence at every run. */
function seeded(): () => number {
  let state = 20261201;
  return () => (state = (state * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x80000000;
}

export function bootstrapRatio(a: readonly number[], b: readonly number[], resamples = 2_000): { ratio: number; ci95: [number, number] } {
  const random = seeded();
  const resample = (xs: readonly number[]) => Array.from({ length: xs.length }, () => xs[Math.floor(random() * xs.length)]!);
  const ratios = Array.from({ length: resamples }, () => median(resample(a)) / median(resample(b)));
  return { ratio: median(a) / median(b), ci95: [quantile(ratios, 0.025), quantile(ratios, 0.975)] };
}
