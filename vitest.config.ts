import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumExecutable, CHROMIUM_FLAGS } from './tests/chromium.node.ts';

// File suffixes say where a test runs (DESIGN.md §9):
//   *.node.test.ts → Node only, *.dom.test.ts → Chromium only, plain *.test.ts → both.
const SKIP = ['node_modules/**', 'dist/**'];

export default defineConfig({
  // Pre-bundled up front, so the Chromium project does not reload mid-run when it first meets them.
  optimizeDeps: {
    include: ['zod', 'lit', 'lit/decorators.js', 'xstate', '@ipld/dag-cbor', 'idb',
      // The chat views (ui/chat/).
      'lit/directives/unsafe-html.js', 'lit/directives/keyed.js', 'marked', 'dompurify', '@lit-labs/virtualizer', '@lit-labs/virtualizer/layouts/flow.js'],
  },
  test: {
    // The JSON report feeds the one-line summary .ci/run prints last.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['**/*.test.ts'],
          exclude: [...SKIP, '**/*.dom.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'chromium',
          include: ['**/*.test.ts'],
          exclude: [...SKIP, '**/*.node.test.ts'],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_FLAGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
