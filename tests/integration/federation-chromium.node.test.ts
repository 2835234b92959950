/**
 * The browser side of federation in real Chromium: a page served from the listener's allowed
 * origin dials with the browser's own WebSocket (ws-client.dom.ts) and the @noble crypto provider,
 * completes the LAMA/1 handshake with the Node listener and exchanges data; a page from another
 * origin is refused at the upgrade, because Chromium — not the page — writes the Origin header.
 */
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformCrypto as crypto } from '../../actors/crypto/platform.node.ts';
import type { Identity } from '../../actors/identity/identity.ts';
import type { PeerIdentity } from '../../actors/net/identity-proof.ts';
import { bytesToHex } from '../../actors/store/hash.ts';
import { CHROMIUM_FLAGS, chromiumExecutable } from '../chromium.node.ts';
import { newIdentity, startListener } from './federation-kit.node.ts';

interface PublicInstance {
  personId: string;
  instanceId: string;
  signKey: string;
  staticKey: string;
}

type DialResult = { ok: true; peer: { personId: string; instanceId: string }; echo: string } | { ok: false; code: string; message: string };

declare global {
  interface Window {
    /** Set by the bundled page script below: the page's own Instance, made with @noble in the page. */
    lamaInstance: PublicInstance;
    lamaDial(url: string, server: PublicInstance): Promise<DialResult>;
  }
}

const PAGE_SCRIPT = `
  import { nobleCrypto } from './actors/crypto/noble-crypto.ts';
  import { testInstance } from './actors/net/channel-test-kit.ts';
  import { SecureConnection } from './actors/net/secure-connection.ts';
  import { bytesToHex } from './actors/store/hash.ts';
  import { connectWebSocket } from './actors/net/ws-client.dom.ts';

  const me = testInstance(nobleCrypto);
  window.lamaInstance = {
    personId: me.personId, instanceId: me.instanceId,
    signKey: bytesToHex(me.instance.signer.publicKey), staticKey: bytesToHex(me.instance.encryptionPublicKey),
  };
  window.lamaDial = (url, server) => new Promise((resolve) => {
    const admit = (peer) =>
      peer.instanceId === server.instanceId && peer.personId === server.personId &&
      bytesToHex(peer.signKey) === server.signKey && bytesToHex(peer.staticKey) === server.staticKey ? 'contact' : 'not the listener I dialed';
    const connection = SecureConnection.dial(connectWebSocket(url), { crypto: nobleCrypto, identity: me, admit });
    connection.on('established', ({ peer }) => {
      connection.on('data', (body) => {
        resolve({ ok: true, peer: { personId: peer.personId, instanceId: peer.instanceId }, echo: new TextDecoder().decode(body) });
        connection.close('done');
      });
      connection.send(new TextEncoder().encode('hello from the page'));
    });
    connection.on('closed', (reason) => resolve({ ok: false, code: reason.code, message: reason.message }));
  });`;

function serve(script: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/page.js') return response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/page.js"></script>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

function publicInstance(identity: Identity): PublicInstance {
  return {
    personId: identity.personId,
    instanceId: identity.instanceId,
    signKey: bytesToHex(identity.instance.signer.publicKey),
    staticKey: bytesToHex(identity.instance.encryptionPublicKey),
  };
}

describe('federation from a page in Chromium', () => {
  let browser: Browser;
  let ui: { server: Server; origin: string };
  let foreign: { server: Server; origin: string };
  let server: Identity;
  let listener: Awaited<ReturnType<typeof startListener>>;
  /** The page Instances the listener knows as contacts (pairing is not part of this test). */
  const pageContacts: PublicInstance[] = [];

  const admit = async (peer: PeerIdentity) =>
    pageContacts.some(
      (known) => known.instanceId === peer.instanceId && known.personId === peer.personId && known.signKey === bytesToHex(peer.signKey) && known.staticKey === bytesToHex(peer.staticKey),
    )
      ? ('contact' as const)
      : `unknown instance ${peer.instanceId}`;

  beforeAll(async () => {
    const bundle = await build({ stdin: { contents: PAGE_SCRIPT, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
    const script = bundle.outputFiles[0]!.text;
    [ui, foreign, server, browser] = await Promise.all([
      serve(script),
      serve(script),
      newIdentity(crypto, 'listener'),
      chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_FLAGS, headless: true }),
    ]);
    listener = await startListener({ crypto, identity: server, admit, allowedOrigins: [ui.origin] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    listener?.actor.stop();
    for (const { server: http } of [ui, foreign]) http?.closeAllConnections();
    await Promise.all([ui, foreign].map((served) => new Promise((resolve) => served?.server.close(resolve))));
  });

  async function dialFrom(origin: string) {
    const page = await browser.newPage();
    const console: string[] = [];
    page.on('console', (message) => console.push(message.text()));
    try {
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => typeof window.lamaDial === 'function');
      pageContacts.push(await page.evaluate(() => window.lamaInstance));
      const result = await page.evaluate(([url, peer]) => window.lamaDial(url, peer), [listener.url, publicInstance(server)] as const);
      return { result, console, instance: pageContacts.at(-1)! };
    } finally {
      await page.close();
    }
  }

  it('a page from the allowed origin completes the handshake with @noble and its native WebSocket, and its data is echoed', async () => {
    const { result, instance } = await dialFrom(ui.origin);
    expect(result).toEqual({ ok: true, peer: { personId: server.personId, instanceId: server.instanceId }, echo: 'hello from the page' });
    expect(listener.ups.map((up) => up.peer)).toContainEqual({ personId: instance.personId, instanceId: instance.instanceId });
  }, 30_000);

  it('a page from another origin is refused at the upgrade with 403, even when the listener knows its keys', async () => {
    const acceptedBefore = listener.actor.getSnapshot().context.accepted;
    const { result, console } = await dialFrom(foreign.origin);
    expect(result).toMatchObject({ ok: false, code: 'CONNECT_FAILED' });
    expect(console.join('\n')).toMatch(/403/);
    expect(listener.actor.getSnapshot().context.accepted).toBe(acceptedBefore);
  }, 30_000);
});
