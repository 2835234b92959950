import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startHost, type RunningHost } from '../../hosts/node/host.node.ts';
import { idlePool } from '../support/test-host.node.ts';
import { build } from 'vite';
import { CHROMIUM_FLAGS, chromiumExecutable } from '../chromium.node.ts';

/** Shared pieces for end-to-end tests: the real renderer build, Debian's Chromium, screenshots kept as artifacts. */
const ROOT = join(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

/** Builds the renderer into a fresh folder, as `npm run build` does into dist/renderer. */
export async function buildRenderer(): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'lama-renderer-'));
  // vitest runs with NODE_ENV=test, which would make Vite pick Lit's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({ root: join(ROOT, 'hosts', 'browser'), configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: dir, emptyOutDir: true, sourcemap: false } }).finally(() => {
    process.env.NODE_ENV = nodeEnv;
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_FLAGS });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Fails the test on any error the page logs or throws: a finished app prints none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/**
 * Onboards a fresh page the way a person does: name and passphrase twice, "Create my identity"
 * (the browser's user, and the Node's on a new archive), then waits until the browser links.
 */
export async function createIdentity(page: Page, name = 'Ada', passphrase = 'correct horse battery'): Promise<void> {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create my identity' }).click();
  await page.getByText('Linked to the Node instance').waitFor({ timeout: 45_000 });
}

/**
 * A built renderer, Chromium, and one data folder that Node hosts start on in turn (a host stopped
 * and started again over the same archive): set up before the suite, cleaned up after it.
 */
export function restartingHosts(prefix: string) {
  const world = {
    renderer: undefined as unknown as Awaited<ReturnType<typeof buildRenderer>>,
    browser: undefined as unknown as Browser,
    dataDir: '',
    hosts: [] as RunningHost[],
    /** A host on this archive, with an idle worker pool (the pool has its own tests). */
    start: async (ports: { port?: number; federationPort?: number } = {}): Promise<RunningHost> => {
      const host = await startHost({ dataDir: world.dataDir, port: ports.port ?? 0, rendererDir: world.renderer.dir, workerPool: { logic: idlePool }, federationPort: ports.federationPort ?? 0 });
      world.hosts.push(host);
      return host;
    },
  };
  beforeAll(async () => {
    [world.renderer, world.browser] = await Promise.all([buildRenderer(), launchChromium()]);
    world.dataDir = mkdtempSync(join(tmpdir(), prefix));
  }, 60_000);
  afterAll(async () => {
    await world.browser?.close();
    for (const host of world.hosts) if (host.app.getSnapshot().status === 'active') await host.stop();
    world.renderer?.remove();
    if (world.dataDir) rmSync(world.dataDir, { recursive: true, force: true });
  });
  return world;
}
