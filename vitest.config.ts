import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/fixtures/**/*.test.ts'],
    setupFiles: ['test/unit/setup.ts'],
    environment: 'node',
  },
});
