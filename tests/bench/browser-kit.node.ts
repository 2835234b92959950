import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import '../support/lama-browser-global.ts';
import type { RunningHost } from '../../hosts/node/host.node.ts';
import { buildRenderer, launchChromium } from '../e2e/e2e-kit.node.ts';
import { startTestHost } from '../support/test-host.node.ts';

/**
 * The real pair for the browser benchmarks: the Node host (SQLite archive, in this process) and
 * browser instances in headless Chromium, each onboarded through the real UI and linked over the
 * federation socket. Each page's federation socket runs through a route the benchmark can hold
 * (to let a backlog build up) and release.
 */

export interface BrowserPage {
  readonly page: Page;
  /** New federation sockets are refused while held; a held page reconnects on its own once released. */
  hold(): Promise<void>;
  release(): void;
  /** When the current federation socket was routed (Date.now()), i.e. the page's last (re)connect. */
  connectedAt(): number;
}

export interface BrowserBench {
  readonly host: RunningHost;
  readonly browser: Browser;
  /**
   * A new browser context (its own IndexedDB, its own user), onboarded and linked. `hold` needs the
   * federation socket routed through Playwright; a latency benchmark passes `routed: false`.
   */
  openPage(options?: { routed?: boolean }): Promise<BrowserPage>;
  dispose(): Promise<void>;
}

export async function startBrowserBench(): Promise<BrowserBench> {
  const [renderer, browser] = await Promise.all([buildRenderer(), launchChromium()]);
  const { host, dispose } = await startTestHost({ rendererDir: renderer.dir });
  return {
    host,
    browser,
    openPage: async ({ routed = true } = {}) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      let held = false;
      let connectedAt = 0;
      const routes: WebSocketRoute[] = [];
      if (routed)
        await page.routeWebSocket(
        (url) => url.pathname !== '/control',
        (route) => {
          if (held) return void route.close({ code: 1013, reason: 'held by the benchmark' });
          connectedAt = Date.now();
          route.connectToServer();
          routes.push(route);
        },
      );
      await page.goto(host.url);
      const passphrase = page.getByLabel('Passphrase', { exact: true });
      await passphrase.waitFor({ timeout: 30_000 });
      if (await page.getByLabel('Your name').isVisible()) {
        // The first page creates the Node's user as well as its own.
        await page.getByLabel('Your name').fill('Bench');
        await passphrase.fill('bench pass phrase');
        await page.getByLabel('Repeat passphrase').fill('bench pass phrase');
        await page.getByRole('button', { name: 'Create my identity' }).click();
      } else {
        // Later pages unlock the Node's user and create their own browser user.
        await passphrase.fill('bench pass phrase');
        await page.getByRole('button', { name: 'Unlock' }).click();
      }
      await page.getByText('Linked to the Node instance').waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => globalThis.lamaBrowser.syncState === 'live', undefined, { timeout: 30_000 });
      return {
        page,
        hold: async () => {
          held = true;
          for (const route of routes.splice(0)) await route.close({ code: 1013, reason: 'held by the benchmark' });
        },
        release: () => {
          held = false;
        },
        connectedAt: () => connectedAt,
      };
    },
    dispose: async () => {
      await browser.close();
      await dispose();
      renderer.remove();
    },
  };
}

/** The page's Person id. */
export function personOf(page: Page): Promise<string> {
  return page.evaluate(() => globalThis.lamaBrowser.chat!.me);
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface TopicSyncFigures {
  readonly messages: number;
  /** Objects the browser stored during the sync (structure, signatures, bodies). */
  readonly objects: number;
  /** From the page's reconnect to its CHUM session going live (structure and signatures). */
  readonly structureMs: number;
  /** From live to the topic's every body fetched (scrolling the whole topic into the store). */
  readonly bodiesMs: number;
  readonly totalMs: number;
  /** The same objects' bytes put raw into a fresh IndexedDB database, 1,000 per transaction, same page. */
  readonly rawIdbMs: number;
  readonly heapBeforeBytes: number;
  readonly heapAfterBytes: number;
}

/**
 * The browser's initial sync of a `count`-message topic: the page is held offline while the Node
 * writes the topic (1 KiB messages), then released; it reconnects by itself as a contact, syncs the
 * structure, and fetches every body as if the whole topic were scrolled through.
 */
export async function syncTopicIntoBrowser(bench: BrowserBench, count: number): Promise<TopicSyncFigures> {
  const { host } = bench;
  const browserPage = await bench.openPage();
  const { page } = browserPage;
  const person = await personOf(page);
  const heapBeforeBytes = await heapUsed(page);
  await browserPage.hold();
  await page.waitForFunction(() => globalThis.lamaBrowser.syncState === 'offline', undefined, { polling: 20 });

  const chat = host.chat()!;
  const { idHash: topic } = await chat.directTopic(person as never, 'Bench');
  const filler = 'x'.repeat(900);
  for (let i = 0; i < count; i++) await chat.send(topic, `${i} ${filler}`);

  const seqBefore = await page.evaluate(() => globalThis.lamaBrowser.store.adapter.lastSeq());
  const released = Date.now();
  browserPage.release();
  const result = await page.evaluate(async ({ topic, count }) => {
    const instance = globalThis.lamaBrowser;
    while (instance.syncState !== 'live') await new Promise((resolve) => setTimeout(resolve, 2));
    const live = Date.now();
    const messages = await instance.chat!.messages(topic as never, { limit: count });
    return { live, done: Date.now(), fetched: messages.length, seq: await instance.store.adapter.lastSeq() };
  }, { topic, count });
  if (result.fetched !== count) throw new Error(`the browser shows ${result.fetched} of ${count} messages`);
  const connected = browserPage.connectedAt();
  if (connected < released) throw new Error('the page did not reconnect after the release');
  const heapAfterBytes = await heapUsed(page);

  const rawIdbMs = await page.evaluate(async (seqBefore) => {
    const adapter = globalThis.lamaBrowser.store.adapter;
    const arrivals = await adapter.arrivalsAfter(seqBefore, 1e9);
    const bytes = await adapter.getObjects(arrivals.map((a) => a.hash));
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(`raw-bench-${Date.now()}`, 1);
      request.onupgradeneeded = () => request.result.createObjectStore('objects');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const started = performance.now();
    for (let i = 0; i < arrivals.length; i += 1000) {
      const tx = db.transaction('objects', 'readwrite');
      const store = tx.objectStore('objects');
      for (let j = i; j < Math.min(i + 1000, arrivals.length); j++) store.put(bytes[j], arrivals[j]!.hash);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    }
    const elapsed = performance.now() - started;
    db.close();
    return elapsed;
  }, seqBefore);

  return {
    messages: count,
    objects: result.seq - seqBefore,
    structureMs: result.live - connected,
    bodiesMs: result.done - result.live,
    totalMs: result.done - connected,
    rawIdbMs,
    heapBeforeBytes,
    heapAfterBytes,
  };
}

/** The page's JS heap in use after a full garbage collection (Chrome DevTools Protocol). */
export async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize;
  } finally {
    await cdp.detach();
  }
}
