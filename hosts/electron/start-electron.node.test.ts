import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invokeChannels } from '../ipc/channels.ts';
import { PASSPHRASE, PERSON, testHost } from '../ipc/ipc-test-kit.ts';
import type { FakeFrame } from './electron-test-kit.ts';
import { FakeBrowserWindow, FakeWebContents, handlers, resetElectronFake, session } from './electron-test-kit.ts';
import { startElectron } from './start-electron.ts';

vi.mock('electron', () => import('./electron-test-kit.ts'));

const UI = 'http://127.0.0.1:4173';

async function start(renderer: { url: string } | { file: string } = { url: `${UI}/` }) {
  const host = testHost();
  const onInternalError = vi.fn();
  const { stop } = await startElectron(host.orchestrator, { renderer, preload: '/app/preload.cjs', onInternalError });
  const window = FakeBrowserWindow.instances.at(-1)!;
  const top: FakeFrame = { url: 'url' in renderer ? `${UI}/#/onboarding` : `file://${renderer.file}`, parent: null };
  /** Plays the renderer: invokes `channel` as `frame` of `sender`. */
  const invoke = (channel: string, request: unknown, frame: FakeFrame | null = top, sender: FakeWebContents = window.webContents) =>
    handlers.get(channel)!({ sender, senderFrame: frame }, request);
  return { ...host, window, top, invoke, stop, onInternalError };
}

beforeEach(resetElectronFake);

describe('startElectron', () => {
  it('opens one window isolated, sandboxed and without Node, with our preload', async () => {
    await start();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances[0]!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });

  it('loads the renderer from the Node host URL or from a file', async () => {
    const { window } = await start();
    expect(window.loadURL).toHaveBeenCalledWith(`${UI}/`);
    resetElectronFake();
    const fromFile = await start({ file: '/app/ui/index.html' });
    expect(fromFile.window.loadFile).toHaveBeenCalledWith('/app/ui/index.html');
  });

  it('handles exactly the invoke channels, through dispatch', async () => {
    const { invoke, received } = await start();
    expect([...handlers.keys()].sort()).toEqual([...invokeChannels].sort());
    expect(await invoke('orchestrate:provision', { name: 'Ada', passphrase: PASSPHRASE })).toMatchObject({ ok: true, response: { personId: PERSON } });
    expect(await invoke('orchestrate:provision', { name: 'Ada' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await invoke('orchestrate:backup', { passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'NOT_IMPLEMENTED' } });
    expect(received).toHaveLength(1);
  });

  it.each([
    ['another window', (t: Context) => ({ frame: t.top, sender: new FakeWebContents() })],
    ['a subframe of our page', (t: Context) => ({ frame: { url: `${UI}/`, parent: t.top }, sender: t.window.webContents })],
    ['our frame after navigating to another origin', (t: Context) => ({ frame: { url: 'https://evil.example/', parent: null }, sender: t.window.webContents })],
    ['our frame on another port', (t: Context) => ({ frame: { url: 'http://127.0.0.1:9999/', parent: null }, sender: t.window.webContents })],
    ['a frame that is gone', (t: Context) => ({ frame: null, sender: t.window.webContents })],
  ])('refuses %s with FORBIDDEN and never reaches the host', async (_, senderOf) => {
    const context = await start();
    const { frame, sender } = senderOf(context);
    expect(await context.invoke('orchestrate:provision', { name: 'Ada', passphrase: PASSPHRASE }, frame, sender)).toMatchObject({
      ok: false, error: { code: 'FORBIDDEN' },
    });
    expect(context.received).toEqual([]);
  });

  it('trusts only its own file when the renderer is a file', async () => {
    const { invoke, window } = await start({ file: '/app/ui/index.html' });
    expect(await invoke('orchestrate:status', {})).toMatchObject({ ok: true });
    expect(await invoke('orchestrate:status', {}, { url: 'file:///home/ada/Downloads/page.html', parent: null }, window.webContents)).toMatchObject({
      ok: false, error: { code: 'FORBIDDEN' },
    });
  });

  it('forwards valid pushes to the window and drops invalid ones', async () => {
    const { pushes, window, onInternalError } = await start();
    pushes.publish('status:syncProgress', { peer: 'browser', objectsDone: 1, objectsTotal: 2, bytesDone: 10, bytesTotal: 20 });
    pushes.publish('status:syncProgress', { peer: 'browser', objectsDone: -1, objectsTotal: 2, bytesDone: 10, bytesTotal: 20 });
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('status:syncProgress', {
      peer: 'browser', objectsDone: 1, objectsTotal: 2, bytesDone: 10, bytesTotal: 20,
    });
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('denies new windows, navigation and redirects away from the app, and webviews', async () => {
    const { window } = await start();
    const contents = window.webContents;
    expect(contents.setWindowOpenHandler.mock.calls[0]![0]({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const navigate = (name: string, url: string) => {
      const event = { url, preventDefault: vi.fn() };
      contents.emit(name, event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', `${UI}/#/settings`)).toBe(false);
    expect(navigate('will-redirect', 'http://127.0.0.1:9999/')).toBe(true);
    expect(navigate('will-attach-webview', `${UI}/`)).toBe(true);
  });

  it('denies every permission request', async () => {
    await start();
    const decide = vi.fn();
    session.defaultSession.setPermissionRequestHandler.mock.calls[0]![0]({}, 'media', decide);
    expect(decide).toHaveBeenCalledWith(false);
  });

  it('stops pushing and unregisters its handlers when the window closes', async () => {
    const { pushes, window } = await start();
    window.close();
    pushes.publish('status:app', { state: 'running', failures: [] });
    expect(window.webContents.send).not.toHaveBeenCalled();
    expect(handlers.size).toBe(0);
    // A second start registers afresh rather than colliding with stale handlers.
    await start();
    expect(handlers.size).toBe(invokeChannels.length);
  });
});

type Context = Awaited<ReturnType<typeof start>>;
