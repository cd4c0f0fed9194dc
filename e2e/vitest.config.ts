import { defineConfig } from 'vitest/config';

// Browser scenarios: one Chromium at a time (the CI machine has two cores).
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/e2e.json' },
    globalSetup: ['e2e/global-setup.ts'],
  },
});
