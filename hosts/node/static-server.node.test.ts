import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStaticServer, listenLocal, PortInUseError } from './static-server.node.ts';

describe('static server', () => {
  let root: string;
  let server: Server;
  let base: string;
  const servers: Server[] = [];

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'lama-static-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>LAMA</title>');
    writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(root, '..', 'lama-static-secret.txt'), 'outside the root');
    server = createStaticServer(root);
    servers.push(server);
    base = `http://127.0.0.1:${await listenLocal(server, 0)}`;
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(root, { recursive: true, force: true });
    rmSync(join(root, '..', 'lama-static-secret.txt'), { force: true });
  });

  it('serves the page fresh and assets immutable, with strict headers', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await fetch(`${base}/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('never serves outside its root, and only GET/HEAD', async () => {
    expect((await fetch(`${base}/..%2flama-static-secret.txt`)).status).toBe(403);
    expect((await fetch(`${base}/%2e%2e/lama-static-secret.txt`)).status).not.toBe(200);
    expect((await fetch(`${base}/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/assets`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('names the port when it is taken', async () => {
    const port = Number(new URL(base).port);
    const second = createStaticServer(root);
    servers.push(second);
    const error = await listenLocal(second, port).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toContain(`port ${port}`);
  });
});
