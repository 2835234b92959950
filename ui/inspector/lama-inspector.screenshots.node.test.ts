import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, SCREENSHOTS } from '../../tests/e2e/e2e-kit.node.ts';
import type { InspectorKit } from './inspector-test-kit.ts';

/**
 * The inspector as people see it, in light and dark, at 1600×1000 in Debian's Chromium, saved to
 * test-results/screenshots/inspector-*.png for a person to look at: the app machine (its parallel
 * supervision regions running) and an AI listener in the middle of an answer, waiting for the
 * user to approve a tool call.
 */
describe('lama-inspector screenshots', () => {
  let server: ViteDevServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await createServer({
      configFile: false,
      root: join(import.meta.dirname, 'screenshots'),
      server: { port: 0, host: '127.0.0.1', fs: { allow: [join(import.meta.dirname, '..', '..')] } },
      logLevel: 'error',
    });
    await server.listen();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(scheme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, colorScheme: scheme });
    const errors = collectPageErrors(page);
    await page.goto(server.resolvedUrls!.local[0]!);
    await page.waitForFunction(() => 'inspectorKit' in window, undefined, { timeout: 60_000 });
    return { page, errors };
  }

  const kit = <T>(page: Page, step: (kit: InspectorKit) => T | Promise<T>) =>
    page.evaluate(`(${step.toString()})(window.inspectorKit)`) as Promise<T>;

  for (const scheme of ['light', 'dark'] as const) {
    const suffix = scheme === 'dark' ? '-dark' : '';

    it(`shows the app machine with its supervision regions running (${scheme})`, async () => {
      const { page, errors } = await open(scheme);
      try {
        await page.locator('lama-statechart .state.machine .title', { hasText: 'app' }).waitFor({ timeout: 30_000 });
        await expect.poll(() => page.locator('lama-statechart .state.active.leaf').count()).toBe(3);
        await page.waitForTimeout(250);
        await page.screenshot({ path: join(SCREENSHOTS, `inspector-app${suffix}.png`) });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, 90_000);

    it(`shows an AI listener mid-answer, waiting for a tool approval (${scheme})`, async () => {
      const { page, errors } = await open(scheme);
      try {
        await kit(page, (k) => k.startAnswer('Looking at your notes, the three open questions are'));
        await page.getByRole('treeitem', { name: /^aiListener:/ }).click();
        await page.locator('lama-statechart .state.machine .title', { hasText: 'aiListener' }).waitFor({ timeout: 30_000 });
        await kit(page, (k) => k.askApproval());
        await page.locator('lama-statechart .state.active[data-path="answering.tools.awaitingApproval"]').waitFor();
        // Mid-animation: the transition just taken glows.
        await page.waitForTimeout(400);
        await page.screenshot({ path: join(SCREENSHOTS, `inspector-ai-listener${suffix}.png`) });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, 90_000);
  }
});
