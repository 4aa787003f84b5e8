import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each test file gets its own database cloned from a migrated template, so files run in parallel safely.
    pool: 'forks',
    maxWorkers: 2,
    // Files share a worker's modules rather than loading the app afresh (a third of the run's time went on
    // that). Safe here: no test mocks modules or changes globals, and state lives in each file's database.
    isolate: false,
    // Browser journeys run axe on many pages; generous limits keep a busy machine from failing them.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
