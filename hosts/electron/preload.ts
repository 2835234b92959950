/**
 * The preload: the renderer's only door to main. It exposes `window.lama` with exactly one
 * function per invoke channel and `on(pushChannel, listener)`, never `ipcRenderer` itself or a
 * generic invoke, so a hijacked page can reach the table's list and nothing else (STYLE.md §3.2).
 * Bundled to CommonJS by build.node.ts, because sandboxed preloads cannot load ES modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { invokeChannels, isPushChannel } from '../ipc/channels.ts';
import type { LamaBridge, PushSubscribe } from '../ipc/client.ts';
import { OrchestrationError } from '../ipc/orchestration-error.ts';

export function createBridge(renderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): LamaBridge {
  const calls = Object.fromEntries(
    invokeChannels.map((channel) => [channel, (request: unknown) => renderer.invoke(channel, request)]),
  );
  const on: PushSubscribe = (channel, listener) => {
    if (!isPushChannel(channel)) throw new OrchestrationError('UNKNOWN_CHANNEL', `no push channel named ${String(channel)}`);
    // The listener gets the payload alone: the event object would hand the page `sender`, i.e. ipcRenderer.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as Parameters<typeof listener>[0]);
    renderer.on(channel, forward);
    return () => {
      renderer.removeListener(channel, forward);
    };
  };
  return { ...calls, on } as LamaBridge;
}

contextBridge.exposeInMainWorld('lama', createBridge(ipcRenderer));
