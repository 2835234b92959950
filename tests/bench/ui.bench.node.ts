import { build } from 'esbuild';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../e2e/e2e-kit.node.ts';
import { percentile } from './browser-kit.node.ts';

/**
 * `ui` (issue 7): the renderer's own figures, each from its own function below; the default
 * export runs them one after another and merges what they return, so a figure is added by writing
 * its function and listing it in FIGURES.
 *
 * - `scroll_p95_frame_ms` (goal < 16.7): <lama-chat-view> holding a 10,000-message topic (the
 *   real statechart and components, fed at the actor boundary: ui/chat/chat-view-fake.ts), in
 *   headless Chromium, scrolled programmatically — every animation frame moves the list, up from
 *   the newest message, down from the middle, and in fast flings. A frame's time runs from its
 *   requestAnimationFrame timestamp (the frame's start) to a task posted from that callback, which
 *   runs once the frame's work — scroll events and the virtualiser's DOM changes, style, layout,
 *   resize observers, paint — is done. `scroll_p95_ratio_vs_static` divides it by the same passes
 *   over a plain static list of the same 10,000 texts (no virtualiser, no markdown) in the same page;
 *   `scroll_dropped_frame_pct` counts frames that came more than 1.5 frame intervals after the last.
 * - `tti_ms` (goal < 1,000): the built host (`dist/node/main.node.mjs`, what `npm start` runs
 *   after its build) started on an existing archive → the UI interactive: the page, opened as soon
 *   as the host prints its address, shows the unlock form ready for the passphrase. Median of
 *   TTI_RUNS; the browser (its own store and user, as after a first launch) is already running, as
 *   the window the host opens would be. `tti_host_ready_ms` is the part until the address is
 *   printed, `tti_page_ms` the rest; the baseline `static_page_ms` is Chromium loading a static
 *   file from the same server in the same run, and `tti_page_ratio_vs_static` divides by it.
 *   `unlock_to_app_ms` (context, not a goal): the passphrase submitted → the app frame shown, two
 *   key derivations included (the Node's and the browser's).
 */
type Figures = Record<string, number>;

const ROOT = join(import.meta.dirname, '..', '..');
const ORIGIN = 'http://lama.bench';
const MESSAGES = 10_000;

/** The page: builds the chat view and the static list, and scrolls either, timing each frame. */
const PAGE_SCRIPT = `
  import { ADA, TINY, BOB, fakeChatView } from './ui/chat/chat-view-fake.ts';
  import './ui/chat/lama-chat-view.ts';

  const people = [ADA, TINY, BOB];
  const code = '\\n\\n\`\`\`ts\\nconst total = items.reduce((sum, item) => sum + item.price * item.count, 0);\\nconsole.log(total.toFixed(2));\\n\`\`\`\\n';
  function text(i) {
    if (i % 29 === 5) return 'Here is how:' + code + 'Then run it with **tsx**.';
    if (i % 11 === 3) return 'A few points on message ' + i + ':\\n\\n- the first *matters* most\\n- the second is \`inline code\`\\n- the third links to https://example.org/' + i;
    if (i % 5 === 1) return 'Message ' + i + ' is a longer paragraph that wraps over several lines in the conversation column, the way answers from a model usually do when they explain something step by step.';
    return 'Message ' + i;
  }
  const now = Date.now();
  const messages = Array.from({ length: ${MESSAGES} }, (_, i) => ({
    hash: i.toString(16).padStart(64, '0'),
    author: people[i % 7 === 0 ? 2 : i % 3 === 2 ? 1 : 0].id,
    text: text(i),
    createdAt: now - (${MESSAGES} - i) * 90_000,
  }));

  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

  window.lamaBench = {
    async chat() {
      const fake = fakeChatView({ info: { name: 'Long topic', participants: people }, messages, pageSize: messages.length });
      fake.actor.start();
      const view = document.createElement('lama-chat-view');
      view.style.cssText = 'position: fixed; inset: 0; display: flex';
      view.actor = fake.actor;
      document.body.replaceChildren(view);
      for (;;) {
        const list = view.shadowRoot.querySelector('lama-message-list');
        const scroller = list?.shadowRoot.querySelector('lit-virtualizer');
        if (scroller && scroller.querySelector('[role="article"]') && fake.actor.getSnapshot().context.messages.length === messages.length) break;
        await frame();
      }
      for (let i = 0; i < 30; i++) await frame();
      window.lamaScroller = view.shadowRoot.querySelector('lama-message-list').shadowRoot.querySelector('lit-virtualizer');
      return { rows: window.lamaScroller.children.length, height: window.lamaScroller.scrollHeight };
    },
    async plain() {
      const scroller = document.createElement('div');
      scroller.style.cssText = 'position: fixed; inset: 0; overflow-y: auto; font: 15px/1.5 system-ui, sans-serif; padding: 0 24px';
      const fragment = document.createDocumentFragment();
      for (const m of messages) {
        const row = document.createElement('div');
        row.style.cssText = 'padding: 6px 0; white-space: pre-wrap; max-width: 860px; margin: 0 auto';
        row.textContent = m.text;
        fragment.append(row);
      }
      scroller.append(fragment);
      document.body.replaceChildren(scroller);
      scroller.scrollTop = scroller.scrollHeight;
      for (let i = 0; i < 30; i++) await frame();
      window.lamaScroller = scroller;
      return { rows: scroller.children.length, height: scroller.scrollHeight };
    },
    /** Moves the scroller by step px each frame; returns each frame's work time and interval. */
    scroll(passes) {
      const scroller = window.lamaScroller;
      const work = [];
      const intervals = [];
      return (async () => {
        for (const pass of passes) {
          if (pass.from === 'middle') scroller.scrollTop = scroller.scrollHeight / 2;
          if (pass.from === 'bottom') scroller.scrollTop = scroller.scrollHeight;
          for (let i = 0; i < 10; i++) await frame();
          await new Promise((resolve) => {
            let n = 0;
            let last = 0;
            const tick = (ts) => {
              scroller.scrollTop += pass.step;
              if (n > 2) {
                intervals.push(ts - last);
                const channel = new MessageChannel();
                channel.port1.onmessage = () => work.push(performance.now() - ts);
                channel.port2.postMessage(0);
              }
              last = ts;
              if (++n < pass.frames) requestAnimationFrame(tick);
              else setTimeout(resolve, 50);
            };
            requestAnimationFrame(tick);
          });
        }
        return { work, intervals };
      })();
    },
  };
`;

const PASSES = [
  { from: 'bottom', step: -40, frames: 240 },
  { from: 'middle', step: 40, frames: 240 },
  { from: 'middle', step: -160, frames: 120 },
];

async function bundle(): Promise<string> {
  const result = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2023',
    minify: true,
    write: false,
    logLevel: 'silent',
    tsconfig: join(ROOT, 'tsconfig.json'),
  });
  return result.outputFiles[0]!.text;
}

async function openPage(browser: Browser, script: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.route(`${ORIGIN}/**`, (route) =>
    route.request().url().endsWith('/page.js')
      ? route.fulfill({ contentType: 'text/javascript', body: script })
      : route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><body style="margin:0"><script type="module" src="/page.js"></script>' }),
  );
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => 'lamaBench' in window);
  return page;
}

interface ScrollRun {
  readonly work: number[];
  readonly intervals: number[];
}

function summarize(run: ScrollRun) {
  const work = [...run.work].sort((a, b) => a - b);
  const median = [...run.intervals].sort((a, b) => a - b)[Math.floor(run.intervals.length / 2)]!;
  return {
    p50: percentile(work, 50),
    p95: percentile(work, 95),
    max: work.at(-1)!,
    dropped: (100 * run.intervals.filter((i) => i > 1.5 * median).length) / run.intervals.length,
  };
}

/** Scrolling a 10,000-message topic in <lama-chat-view>, against a static list in the same page. */
export async function scrollFigures(): Promise<Figures> {
  const [browser, script] = await Promise.all([launchChromium(), bundle()]);
  try {
    const page = await openPage(browser, script);
    const scroll = () => page.evaluate((passes) => (window as unknown as { lamaBench: { scroll(p: typeof passes): Promise<ScrollRun> } }).lamaBench.scroll(passes), PASSES);
    const call = (name: 'chat' | 'plain') => page.evaluate((n) => (window as unknown as { lamaBench: Record<string, () => Promise<{ rows: number; height: number }>> }).lamaBench[n]!(), name);
    const chatPage = await call('chat');
    const chat = summarize(await scroll());
    const plainPage = await call('plain');
    const plain = summarize(await scroll());
    return {
      scroll_p95_frame_ms: chat.p95,
      scroll_p50_frame_ms: chat.p50,
      scroll_max_frame_ms: chat.max,
      scroll_dropped_frame_pct: chat.dropped,
      scroll_rows_in_dom: chatPage.rows,
      static_p95_frame_ms: plain.p95,
      static_dropped_frame_pct: plain.dropped,
      static_rows_in_dom: plainPage.rows,
      scroll_p95_ratio_vs_static: chat.p95 / plain.p95,
    };
  } finally {
    await browser.close();
  }
}

const TTI_RUNS = 7;
const PASSPHRASE = 'bench pass phrase';
const MAIN = join(ROOT, 'dist', 'node', 'main.node.mjs');

/** A port free right now on 127.0.0.1: fixed across runs, so the page's origin (and its IndexedDB) stays the same. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface StartedHost {
  readonly child: ChildProcess;
  readonly url: string;
  /** ms from spawn until the host printed its address. */
  readonly readyMs: number;
  readonly started: number;
}

/** `npm start` without the build and without opening a window: resolves when the host prints its address. */
function startHost(dataDir: string, ports: { ui: number; federation: number }, env: NodeJS.ProcessEnv = process.env): Promise<StartedHost> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--enable-source-maps', MAIN, '--data', dataDir, '--port', String(ports.ui), '--federation-port', String(ports.federation), '--no-browser', '--name', 'Bench'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (data: Buffer) => {
      output += data.toString();
      const url = /LAMA is running at (\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url, readyMs: performance.now() - started, started });
    });
    child.on('exit', (code) => reject(new Error(`the host exited (${code}) before printing its address:\n${output}`)));
  });
}

function stopHost(host: StartedHost): Promise<void> {
  return new Promise((resolve) => {
    host.child.removeAllListeners('exit');
    host.child.on('exit', () => resolve());
    host.child.kill('SIGTERM');
  });
}

/** The unlock form ready for input: the passphrase field is there and the button not busy. */
async function unlockFormReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const onboarding = document.querySelector('lama-app')?.shadowRoot?.querySelector('lama-onboarding')?.shadowRoot;
      const input = onboarding?.querySelector<HTMLInputElement>('input[name="passphrase"]');
      const button = onboarding?.querySelector<HTMLButtonElement>('button[type="submit"]');
      return !!input && !input.disabled && !!button && !button.disabled && input.getBoundingClientRect().height > 0;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
}

async function unlock(page: Page): Promise<number> {
  const started = performance.now();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 60_000 });
  return performance.now() - started;
}

/** `npm start` with an existing archive → the UI interactive, against a static file from the same server. */
export async function ttiFigures(): Promise<Figures> {
  execFileSync(process.execPath, [join(ROOT, 'hosts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'lama-bench-tti-'));
  const ports = { ui: await freePort(), federation: await freePort() };
  const browser = await launchChromium();
  let context: BrowserContext | undefined;
  try {
    // The archive and its user, then the browser's own user (one unlock through the UI), as after a first launch.
    const first = await startHost(dataDir, ports, { ...process.env, LAMA_PASSPHRASE: PASSPHRASE });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const setup = await context.newPage();
    await setup.goto(first.url);
    await unlockFormReady(setup);
    await unlock(setup);
    await setup.close();
    await stopHost(first);

    const tti: number[] = [];
    const ready: number[] = [];
    const pagePart: number[] = [];
    const statics: number[] = [];
    const unlocks: number[] = [];
    for (let run = 0; run < TTI_RUNS; run++) {
      const page = await context.newPage();
      const host = await startHost(dataDir, ports);
      const navigated = performance.now();
      await page.goto(host.url);
      await unlockFormReady(page);
      const interactive = performance.now();
      tti.push(interactive - host.started);
      ready.push(host.readyMs);
      pagePart.push(interactive - navigated);
      // The baseline: the same browser loading a static file from the same server, now that it is warm.
      const other = await context.newPage();
      const fetched = performance.now();
      await other.goto(new URL('/favicon.svg', host.url).href, { waitUntil: 'load' });
      statics.push(performance.now() - fetched);
      await other.close();
      if (run === TTI_RUNS - 1) unlocks.push(await unlock(page));
      await page.close();
      await stopHost(host);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    return {
      tti_runs: TTI_RUNS,
      tti_ms: median(tti),
      tti_host_ready_ms: median(ready),
      tti_page_ms: median(pagePart),
      static_page_ms: median(statics),
      tti_page_ratio_vs_static: median(pagePart) / median(statics),
      unlock_to_app_ms: unlocks[0]!,
    };
  } finally {
    await context?.close();
    await browser.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The figures of this benchmark, each from its own function; the runner merges them in order. */
const FIGURES: (() => Promise<Figures>)[] = [scrollFigures, ttiFigures];

export default async function ui(): Promise<Figures> {
  const figures: Figures = {};
  for (const measure of FIGURES) Object.assign(figures, await measure());
  return figures;
}
