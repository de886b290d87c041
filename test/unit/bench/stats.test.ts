import { describe, expect, it } from 'vitest';
import { bootstrapRatio, pairedRatio } from '../../bench/stats';
import { Revision } from '../../bench/ab';

describe('an A/B of two builds measured in turn', () => {
  it('takes each round’s ratio, so drift between rounds does not widen the interval', () => {
    // The machine slows down round by round; "after" is 10 % faster than "before" in every round.
    const before = Array.from({ length: 20 }, (_, round) => 100 + round * 20);
    const after = before.map((ms) => ms * 0.9);
    const paired = pairedRatio(after, before);
    expect(paired.ratio).toBeCloseTo(0.9, 10);
    expect(paired.ci95[0]).toBeCloseTo(0.9, 10);
    expect(paired.ci95[1]).toBeCloseTo(0.9, 10);
    // The medians of the two sides, taken apart, cannot tell the 10 % from the drift.
    const unpaired = bootstrapRatio(after, before);
    expect(unpaired.ci95[0]).toBeLessThan(0.8);
    expect(unpaired.ci95[1]).toBeGreaterThan(1);
  });

  it('holds 1 in its interval when the two sides do not differ but for noise', () => {
    const before = [101, 97, 103, 99, 100, 98, 102, 100, 96, 104];
    const after = [99, 103, 97, 101, 100, 102, 98, 100, 104, 96];
    const { ci95 } = pairedRatio(after, before);
    expect(ci95[0]).toBeLessThan(1);
    expect(ci95[1]).toBeGreaterThan(1);
  });

  it('refuses samples that are not paired', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(/as many/);
    expect(() => pairedRatio([], [])).toThrow(/as many/);
  });

  it('takes a revision git knows, and nothing that reads as an option or a path', () => {
    for (const revision of ['338e605', 'HEAD~2', 'main', 'v1.0.0', 'HEAD^', 'origin/main']) expect(Revision.safeParse(revision).success, revision).toBe(true);
    for (const revision of ['--force', '-n', '', '../x', '/etc/passwd', 'a b']) expect(Revision.safeParse(revision).success, revision).toBe(false);
  });
});
