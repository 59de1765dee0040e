import { defineConfig } from 'vitest/config';

// Tests of the API other packages use: the global setup and the per-file namespace.
export default defineConfig({
  test: {
    include: ['src/**/*.shared.test.ts'],
    globalSetup: ['src/vitest/global-setup.ts'],
    hookTimeout: 900_000,
  },
});
