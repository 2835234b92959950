/**
 * The control socket as a real browser meets it: the page the host opened connects with the secret
 * from its URL fragment, and a page from another origin cannot connect even when it knows the
 * secret, because Chromium, not the page, writes the Origin header.
 */
import { build } from 'esbuild';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, chromiumExecutable } from '../../tests/chromium.node.ts';
import { testHost } from '../ipc/ipc-test-kit.ts';
import { attachControlSocket, createControlSecret } from './control-socket.node.ts';
import type { ControlSocket } from './control-socket.node.ts';

type PageResult = { ok: true; value: unknown } | { ok: false; code: string };
declare global {
  interface Window {
    /** Set by the bundled page script below. */
    lamaTry(url: string, secret: string, pushChannel?: string): Promise<PageResult>;
  }
}

// The real client, bundled for the page; it reports what happened instead of throwing.
const PAGE_SCRIPT = `
  import { connectControl } from './hosts/ipc/control-client.ts';
  window.lamaTry = async (url, secret, pushChannel) => {
    try {
      const client = await connectControl({ url, secret });
      const pushed = pushChannel ? new Promise((resolve) => client.on(pushChannel, resolve)) : undefined;
      const status = await client['orchestrate:status']({});
      const value = pushed ? { status, pushed: await pushed } : status;
      client.close();
      return { ok: true, value };
    } catch (error) {
      return { ok: false, code: error.code };
    }
  };`;

function serve(script: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/page.js') return response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/page.js"></script>');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

describe('control socket in Chromium', () => {
  const host = testHost();
  const secret = createControlSecret();
  let browser: Browser;
  let ui: { server: Server; origin: string };
  let evil: { server: Server; origin: string };
  let control: ControlSocket;
  let controlUrl: string;

  beforeAll(async () => {
    const bundle = await build({ stdin: { contents: PAGE_SCRIPT, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'iife', write: false });
    const script = bundle.outputFiles[0]!.text;
    [ui, evil] = await Promise.all([serve(script), serve(script)]);
    control = attachControlSocket(ui.server, { orchestrator: host.orchestrator, secret, origin: ui.origin });
    controlUrl = `${ui.origin.replace('http:', 'ws:')}/control`;
    browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_FLAGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await control?.close();
    for (const { server } of [ui, evil]) server?.closeAllConnections();
    await Promise.all([ui, evil].map(({ server }) => new Promise((resolve) => server?.close(resolve))));
  });

  async function tryFrom(origin: string, url: string, useSecret: (pageSecret: string) => string, pushChannel?: string) {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/#secret=${secret}`);
      await page.waitForFunction(() => typeof window.lamaTry === 'function');
      const pageSecret = await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('secret') ?? '');
      return await page.evaluate(([u, s, p]) => window.lamaTry(u, s, p), [url, useSecret(pageSecret), pushChannel] as const);
    } finally {
      await page.close();
    }
  }

  it('lets the page the host opened in, with the secret from its URL fragment, for invokes and pushes', async () => {
    const timer = setInterval(() => host.pushes.publish('status:app', { state: 'running', failures: [] }), 50);
    try {
      expect(await tryFrom(ui.origin, controlUrl, (pageSecret) => pageSecret, 'status:app')).toEqual({
        ok: true,
        value: { status: { app: { state: 'running', failures: [] }, provisioned: null }, pushed: { state: 'running', failures: [] } },
      });
    } finally {
      clearInterval(timer);
    }
  });

  it('keeps out the right page with a wrong secret', async () => {
    expect(await tryFrom(ui.origin, controlUrl, () => createControlSecret())).toEqual({ ok: false, code: 'CONNECT_FAILED' });
  });

  it('keeps out a page from another origin even when it knows the secret', async () => {
    expect(await tryFrom(evil.origin, controlUrl, (pageSecret) => pageSecret)).toEqual({ ok: false, code: 'CONNECT_FAILED' });
  });
});
