import { describe, expect, it, vi } from 'vitest';
import { invokeChannels } from './channels.ts';
import type { IpcResult } from './channels.ts';
import { clientFromBridge } from './client.ts';
import type { LamaBridge } from './client.ts';
import { OrchestrationError } from './orchestration-error.ts';
import { partialOrchestrator } from './orchestrator.ts';
import { PushEmitter } from './push-emitter.ts';

const status = { app: { state: 'running', failures: [] }, provisioned: null };

describe('partialOrchestrator', () => {
  it('keeps the handlers it is given and answers NOT_IMPLEMENTED for every other invoke channel', async () => {
    const orchestrator = partialOrchestrator({ 'orchestrate:status': async () => status });
    expect(await orchestrator['orchestrate:status']({})).toEqual(status);
    for (const channel of invokeChannels.filter((name) => name !== 'orchestrate:status')) {
      const call = orchestrator[channel] as (request: unknown) => Promise<unknown>;
      await expect(call({})).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringContaining(channel) });
    }
  });
});

describe('PushEmitter', () => {
  it('delivers to every listener until it unsubscribes, even past one that throws', () => {
    const pushes = new PushEmitter();
    const heard = vi.fn();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    pushes.onPush(() => {
      throw new Error('window gone');
    });
    const stop = pushes.onPush(heard);
    pushes.publish('status:federationConnected', { peer: 'browser', connected: true });
    stop();
    pushes.publish('status:federationConnected', { peer: 'browser', connected: false });
    expect(heard).toHaveBeenCalledExactlyOnceWith({ channel: 'status:federationConnected', payload: { peer: 'browser', connected: true } });
  });
});

describe('clientFromBridge', () => {
  const bridge = (result: IpcResult) =>
    ({ ...Object.fromEntries(invokeChannels.map((channel) => [channel, vi.fn(async () => result)])), on: vi.fn() }) as unknown as LamaBridge;

  it('resolves with the response of an ok reply', async () => {
    expect(await clientFromBridge(bridge({ ok: true, response: status }))['orchestrate:status']({})).toEqual(status);
  });

  it('throws an OrchestrationError carrying the code of a failed reply', async () => {
    const client = clientFromBridge(bridge({ ok: false, error: { code: 'WRONG_PASSPHRASE', message: 'no' } }));
    const error = await client['orchestrate:provision']({ name: 'Ada', passphrase: 'x'.repeat(8) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrchestrationError);
    expect(error).toMatchObject({ code: 'WRONG_PASSPHRASE', message: 'no' });
  });
});
