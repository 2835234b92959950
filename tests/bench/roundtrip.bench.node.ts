import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { WebSocketServer, type WebSocket as WsSocket } from 'ws';
import '../support/lama-browser-global.ts';
import { percentile, personOf, startBrowserBench } from './browser-kit.node.ts';

/**
 * `roundtrip` (issue 5): a message written in one browser context travels by CHUM to the Node host
 * and on to a second browser context (another user in the same group topic), where its topic feed
 * hands it over: p50 and p99 over 1,000 messages, one at a time (goal: `roundtrip_p99_ms` < 20).
 * Baseline, same run, same pages: the same payloads relayed page → Node → page over a bare `ws`
 * socket — the floor set by the browsers' sockets and this process's event loop.
 */
const MESSAGES = 1_000;
const WARMUP = 30;

declare global {
  var arrivals: Map<string, number>;
  var relay: WebSocket;
}

/** Times taken in the pages themselves: performance.timeOrigin + now() is the same clock in both. */
async function measure(a: Page, b: Page, send: (i: number) => Promise<number>): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < WARMUP + MESSAGES; i++) {
    const sentAt = await send(i);
    const arrivedAt = await b.evaluate(async (key) => {
      while (!globalThis.arrivals.has(key)) await new Promise((resolve) => setTimeout(resolve, 0));
      return globalThis.arrivals.get(key)!;
    }, `rt ${i}`);
    if (i >= WARMUP) latencies.push(arrivedAt - sentAt);
  }
  void a;
  return latencies.sort((x, y) => x - y);
}

export default async function roundtrip(): Promise<Record<string, number>> {
  const bench = await startBrowserBench();
  const relay = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  try {
    const a = (await bench.openPage({ routed: false })).page;
    const b = (await bench.openPage({ routed: false })).page;
    const [personA, personB] = [await personOf(a), await personOf(b)];
    const { idHash: topic } = await bench.host.chat()!.createTopic({ name: 'Round trip', participants: [personA as never, personB as never] });
    for (const page of [a, b]) {
      await page.waitForFunction(async (topic) => (await globalThis.lamaBrowser.chat!.topics()).some((t) => t.idHash === topic), topic, { polling: 50, timeout: 30_000 });
    }
    await b.evaluate((topic) => {
      globalThis.arrivals = new Map();
      globalThis.lamaBrowser.follow(topic as never, (messages) => {
        const now = performance.timeOrigin + performance.now();
        for (const m of messages) globalThis.arrivals.set(m.message.text, now);
      });
    }, topic);

    const chat = await measure(a, b, (i) =>
      a.evaluate(
        async ({ topic, i }) => {
          const sentAt = performance.timeOrigin + performance.now();
          await globalThis.lamaBrowser.chat!.send(topic as never, `rt ${i}`);
          return sentAt;
        },
        { topic, i },
      ),
    );

    // The floor: the same pages, a bare socket each, relayed by this process.
    const port = (relay.address() as AddressInfo).port;
    const sockets: WsSocket[] = [];
    relay.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('message', (data) => sockets.filter((s) => s !== socket).forEach((s) => s.send(data.toString())));
    });
    for (const page of [a, b]) {
      await page.evaluate(async (url) => {
        globalThis.arrivals = new Map();
        globalThis.relay = new WebSocket(url);
        globalThis.relay.onmessage = (event) => globalThis.arrivals.set(String(event.data), performance.timeOrigin + performance.now());
        await new Promise((resolve) => globalThis.relay.addEventListener('open', resolve));
      }, `ws://127.0.0.1:${port}`);
    }
    const bare = await measure(a, b, (i) =>
      a.evaluate((key) => {
        const sentAt = performance.timeOrigin + performance.now();
        globalThis.relay.send(key);
        return sentAt;
      }, `rt ${i}`),
    );

    return {
      messages: MESSAGES,
      roundtrip_p50_ms: percentile(chat, 50),
      roundtrip_p99_ms: percentile(chat, 99),
      roundtrip_max_ms: chat.at(-1)!,
      bare_relay_p50_ms: percentile(bare, 50),
      bare_relay_p99_ms: percentile(bare, 99),
      roundtrip_p99_over_bare_ms: percentile(chat, 99) - percentile(bare, 99),
    };
  } finally {
    relay.close();
    await bench.dispose();
  }
}
