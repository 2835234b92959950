/**
 * Electron's side of orchestration: one locked-down window, one `ipcMain.handle` per invoke
 * channel served through `dispatch`, and the Orchestrator's pushes forwarded to the window. The
 * renderer is treated as untrusted: it runs sandboxed without Node, reaches main only through the
 * preload's fixed list, and main answers only our window's top frame on our origin (STYLE.md §3).
 */
import { app, BrowserWindow, ipcMain, session } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { pathToFileURL } from 'node:url';
import { invokeChannels } from '../ipc/channels.ts';
import type { DispatchOptions } from '../ipc/dispatch.ts';
import { checkPush, dispatch, failure } from '../ipc/dispatch.ts';
import type { Orchestrator } from '../ipc/orchestrator.ts';
import { isAppSender, rendererOrigin } from './renderer-origin.ts';

export type ElectronOptions = DispatchOptions & {
  /** The Node host's UI (`http://127.0.0.1:PORT/`) or an HTML file. */
  renderer: { url: string } | { file: string };
  /** The built preload script (CommonJS: sandboxed preloads cannot be ES modules). */
  preload: string;
};

export type ElectronHost = { window: BrowserWindow; stop(): void };

export const WEB_PREFERENCES = {
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  sandbox: true,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
} as const;

export async function startElectron(orchestrator: Orchestrator, options: ElectronOptions): Promise<ElectronHost> {
  await app.whenReady();
  // The renderer asks for nothing: no camera, notifications or geolocation prompts on its behalf.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, decide) => decide(false));

  const window = new BrowserWindow({ width: 1200, height: 800, show: true, webPreferences: { ...WEB_PREFERENCES, preload: options.preload } });
  const rendererUrl = 'url' in options.renderer ? options.renderer.url : pathToFileURL(options.renderer.file).href;
  const appOrigin = rendererOrigin(rendererUrl);

  const contents = window.webContents;
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (rendererOrigin(event.url) !== appOrigin) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (rendererOrigin(event.url) !== appOrigin) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  for (const channel of invokeChannels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, request: unknown) =>
      isAppSender(event, window, appOrigin)
        ? dispatch(orchestrator, channel, request, options)
        : failure('FORBIDDEN', `${channel}: the sender is not the app's top frame`),
    );
  }
  const stopPushes = orchestrator.onPush((push) => {
    const checked = checkPush(push, options);
    if (checked && !contents.isDestroyed()) contents.send(checked.channel, checked.payload);
  });

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stopPushes();
    for (const channel of invokeChannels) ipcMain.removeHandler(channel);
    if (!window.isDestroyed()) window.close();
  };
  window.on('closed', stop);

  if ('url' in options.renderer) await window.loadURL(options.renderer.url);
  else await window.loadFile(options.renderer.file);
  return { window, stop };
}
