import { build } from 'esbuild';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, screenshot } from '../../tests/e2e/e2e-kit.node.ts';
import type { mountChatFixture } from './chat-fixture.dom.ts';

/**
 * <lama-chat-layout> over real data (ui/chat/chat-fixture.dom.ts: real topics and signed messages
 * in a memory store) in headless Chromium, light and dark, wide and narrow; screenshots go to
 * test-results/screenshots/chat-*.png. Also checks the page logs no error while it is used.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const ORIGIN = 'http://lama.test';

declare global {
  interface Window {
    lamaFixture: Awaited<ReturnType<typeof mountChatFixture>>;
  }
}

async function bundle(): Promise<string> {
  const result = await build({
    stdin: { contents: "import { mountChatFixture } from './ui/chat/chat-fixture.dom.ts';\nwindow.lamaFixture = await mountChatFixture();", resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2023',
    write: false,
    logLevel: 'silent',
    tsconfig: join(ROOT, 'tsconfig.json'),
  });
  return result.outputFiles[0]!.text;
}

async function open(browser: Browser, script: string, viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport, colorScheme });
  const errors = collectPageErrors(page);
  await page.route(`${ORIGIN}/**`, (route) =>
    route.request().url().endsWith('/page.js')
      ? route.fulfill({ contentType: 'text/javascript', body: script })
      : route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><meta name="color-scheme" content="light dark"><style>html,body{margin:0;background:Canvas}</style><script type="module" src="/page.js"></script>' }),
  );
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.lamaFixture !== undefined, undefined, { timeout: 30_000 });
  await page.getByRole('option').first().waitFor();
  return { page, errors };
}

describe('<lama-chat-layout> with real data', () => {
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    [browser, script] = await Promise.all([launchChromium(), bundle()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the chats, opens one from the keyboard, streams, asks before a tool runs, and looks finished in light and dark', async () => {
    const { page, errors } = await open(browser, script, { width: 1280, height: 800 });
    const options = page.getByRole('option');
    await expect.poll(() => options.count()).toBe(4);
    expect(await options.allInnerTexts()).toEqual([expect.stringContaining('Tiny'), expect.stringContaining('Bob Marley'), expect.stringContaining('Research notes'), expect.stringContaining('Weekend plans')]);
    await expect.poll(() => page.getByRole('option', { name: /Bob Marley, 2 unread/ }).count()).toBe(1);
    await screenshot(page, 'chat-layout-welcome');

    // Keyboard: into the list, down to Bob, Enter opens it.
    await page.getByRole('option').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Bob Marley', exact: true }).waitFor();
    await expect.poll(() => page.getByRole('option', { name: /Bob Marley, 2 unread/ }).count()).toBe(0);

    await page.getByRole('option', { name: /^Tiny/ }).click();
    await page.getByRole('heading', { name: 'Tiny', exact: true }).waitFor();
    await page.evaluate(() => window.lamaFixture.askApproval());
    await page.getByRole('button', { name: 'Allow once' }).waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'chat-view-approval-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(100);
    await screenshot(page, 'chat-view-approval-dark');

    await page.getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => page.evaluate(() => window.lamaFixture.orchestrated.at(-1))).toMatchObject({ channel: 'orchestrate:aiApprove', request: { callId: 'call-1', choice: 'deny' } });
    await page.evaluate(() => window.lamaFixture.stream('Understood — I will leave the drafts where they are. Here is what I found instead:\n\n| file | last edited |\n|---|---|\n| 2023-old-ideas.md | March 2024 |\n| trip.md | May 2024 |\n\nWant me to'));
    await page.getByRole('button', { name: 'Stop Tiny' }).waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'chat-view-streaming-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('option', { name: /^Research notes/ }).click();
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    await screenshot(page, 'chat-view-failure-light');
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.evaluate(() => window.lamaFixture.orchestrated.at(-1))).toMatchObject({ channel: 'orchestrate:aiAnswer', request: { action: 'retry' } });

    await page.getByRole('button', { name: 'New chat' }).first().click();
    await page.getByRole('dialog', { name: 'New chat' }).waitFor();
    await page.getByRole('checkbox').first().check();
    await page.getByRole('checkbox').nth(1).check();
    await screenshot(page, 'chat-new-chat-light');
    await page.getByRole('button', { name: 'Start chat' }).click();
    await page.getByRole('heading', { name: 'Tiny, Bob', exact: true }).waitFor();
    await expect.poll(() => options.count()).toBe(5);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('takes turns between the list and the chat on a narrow window', async () => {
    const { page, errors } = await open(browser, script, { width: 420, height: 760 }, 'dark');
    await screenshot(page, 'chat-narrow-list-dark');
    await page.getByRole('option', { name: /^Weekend plans/ }).click();
    await page.getByRole('heading', { name: 'Weekend plans', exact: true }).waitFor();
    expect(await page.getByRole('listbox').isVisible()).toBe(false);
    await page.waitForTimeout(300);
    await screenshot(page, 'chat-narrow-view-dark');
    await page.getByRole('button', { name: 'Back to chats' }).click();
    await page.getByRole('listbox').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
