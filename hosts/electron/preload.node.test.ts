import { beforeAll, describe, expect, it, vi } from 'vitest';
import { invokeChannels } from '../ipc/channels.ts';
import type { LamaBridge } from '../ipc/client.ts';
import { contextBridge, ipcRenderer } from './electron-test-kit.ts';

vi.mock('electron', () => import('./electron-test-kit.ts'));

let lama: LamaBridge;
beforeAll(async () => {
  await import('./preload.ts');
  expect(contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
  const [key, api] = contextBridge.exposeInMainWorld.mock.calls[0]!;
  expect(key).toBe('lama');
  lama = api as LamaBridge;
});

describe('preload', () => {
  it('exposes one function per invoke channel and `on`, nothing else', () => {
    expect(Object.keys(lama).sort()).toEqual([...invokeChannels, 'on'].sort());
    for (const value of Object.values(lama)) expect(typeof value).toBe('function');
    expect(Object.values(lama)).not.toContain(ipcRenderer.invoke);
  });

  it('sends each call on its own channel and hands back the reply', async () => {
    const reply = { ok: true, response: { app: { state: 'running', failures: [] }, provisioned: null } };
    ipcRenderer.invoke.mockResolvedValueOnce(reply);
    expect(await lama['orchestrate:status']({})).toBe(reply);
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('orchestrate:status', {});
  });

  it('delivers pushes as the payload alone, never the event (it would leak ipcRenderer)', () => {
    const listener = vi.fn();
    const stop = lama.on('status:app', listener);
    const [channel, forward] = ipcRenderer.on.mock.calls.at(-1)!;
    expect(channel).toBe('status:app');
    const payload = { state: 'running', failures: [] };
    forward({ sender: ipcRenderer }, payload);
    expect(listener).toHaveBeenCalledWith(payload);
    expect(listener.mock.calls[0]).toHaveLength(1);
    stop();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('status:app', forward);
  });

  it.each(['status:chatMessage', 'orchestrate:provision', 'constructor', '__proto__'])('refuses to listen on %s', (channel) => {
    ipcRenderer.on.mockClear();
    expect(() => lama.on(channel as never, vi.fn())).toThrow(expect.objectContaining({ code: 'UNKNOWN_CHANNEL' }));
    expect(ipcRenderer.on).not.toHaveBeenCalled();
  });
});
