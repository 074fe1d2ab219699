import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run the TypeScript sources of the workspace packages directly, so no build is needed
// before `npm run test:unit`. The built `dist/` is what `npm start` runs.
const alias = [
  { find: /^@county\/([a-z-]+)$/, replacement: fileURLToPath(new URL('./packages/$1/src/index.ts', import.meta.url)) },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.unit.test.ts', 'services/*/test/**/*.unit.test.ts', 'tests/**/*.unit.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: [
            'packages/*/test/**/*.int.test.ts',
            'services/*/test/**/*.int.test.ts',
            'tests/**/*.e2e.test.ts',
          ],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores shared with Kafka, Postgres and Redis: a few tests at a time. The number of
          // forks is not a project option (vitest 3 reads `poolOptions.forks.maxForks` from the root
          // config only); its default, one fewer than the cores, keeps to one fork on two cores.
          maxConcurrency: 4,
          pool: 'forks',
        },
      },
    ],
  },
});
