/**
 * The hot path (hot-path.ts) in the extension's service worker, beside the background: bench.ts
 * bundles this file and evaluates it there. The worker's clock is coarse (Chromium rounds it for a
 * context that is not cross-origin isolated), so requests are timed in blocks, not one by one. The
 * corpus goes through three times and the first pass is not counted: the worker's compiler is still
 * at work on it (the tab keeps its latest requests only, so later passes do the same work).
 */
import { hotPath } from './hot-path';

const BLOCK = 250;
const PASSES = 3;

/** Microseconds per request of each timed block (bench.ts takes their median). */
(globalThis as unknown as { benchHotPath(): { blockSize: number; blocksUs: number[] } }).benchHotPath = () => {
  const path = hotPath();
  const blocksUs: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    for (let from = 0; from + BLOCK <= path.corpus.length; from += BLOCK) {
      const t0 = performance.now();
      path.request(from, from + BLOCK);
      if (pass > 0) blocksUs.push(((performance.now() - t0) * 1000) / BLOCK);
    }
  }
  path.close();
  return { blockSize: BLOCK, blocksUs };
};
