import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One real PostgreSQL for the run; each test file that needs it gets a database of its own.
    globalSetup: ['test/postgres.ts'],
    hookTimeout: 180_000,
  },
});
