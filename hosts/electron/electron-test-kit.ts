/**
 * A stand-in for the `electron` module (its binary cannot run here): just enough of app,
 * BrowserWindow, ipcMain, session, contextBridge and ipcRenderer to watch what our code asks of
 * them. Tests install it with `vi.mock('electron', () => import('./electron-test-kit.ts'))`.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export type FakeFrame = { url: string; parent: FakeFrame | null };

export class FakeWebContents extends EventEmitter {
  readonly send = vi.fn();
  readonly setWindowOpenHandler = vi.fn();
  destroyed = false;
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly loadFile = vi.fn(async (_file: string) => undefined);
  destroyed = false;
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export const BrowserWindow = FakeBrowserWindow;

export const app = { whenReady: vi.fn(async () => undefined), quit: vi.fn(), exit: vi.fn(), on: vi.fn() };

/** ipcMain.handle stores its handlers here so tests can play the renderer. */
export const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
export const ipcMain = {
  handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
};

export const session = { defaultSession: { setPermissionRequestHandler: vi.fn() } };

export const contextBridge = { exposeInMainWorld: vi.fn() };
export const ipcRenderer = { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn(), send: vi.fn(), sendSync: vi.fn() };

export function resetElectronFake(): void {
  FakeBrowserWindow.instances.length = 0;
  handlers.clear();
  vi.clearAllMocks();
}
