import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/fixtures/**/*.test.ts'],
    setupFiles: ['test/unit/setup.ts'],
    environment: 'node',
    // Fuzz tests stop generating after 3 s (test/unit/setup.ts); this is the hard limit behind it, with
    // room for a loaded 2-core machine.
    testTimeout: 15_000,
  },
});
