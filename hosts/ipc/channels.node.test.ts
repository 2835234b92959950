import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { channels, invokeChannels, pushChannels } from './channels.ts';

describe('channel table', () => {
  it('splits into the invoke and push channels the issue names, and more', () => {
    expect(invokeChannels).toEqual(expect.arrayContaining([
      'orchestrate:provision', 'orchestrate:startFederation', 'orchestrate:resetStorage', 'orchestrate:backup', 'orchestrate:restore', 'orchestrate:status',
    ]));
    expect(pushChannels).toEqual(expect.arrayContaining(['status:nodeProvisioned', 'status:federationConnected', 'status:syncProgress', 'status:app', 'status:inspection']));
    expect(invokeChannels.length + pushChannels.length).toBe(Object.keys(channels).length);
  });

  it('is written out in specs/ipc.md, every channel in its table', () => {
    const spec = readFileSync('specs/ipc.md', 'utf8');
    for (const channel of Object.keys(channels)) expect(spec).toContain(`| \`${channel}\` |`);
  });

  it('takes a ws:// or wss:// federation URL and nothing else', () => {
    const { response } = channels['orchestrate:startFederation'];
    const reply = (url: string) => response.safeParse({ url, pairingToken: 't' }).success;
    expect(reply('ws://127.0.0.1:8765')).toBe(true);
    expect(reply('wss://laptop.local:8765/chum')).toBe(true);
    expect(reply('http://127.0.0.1:8765')).toBe(false);
    expect(reply('javascript:alert(1)')).toBe(false);
  });

  it('resets storage only when the request says so, literally', () => {
    const { request } = channels['orchestrate:resetStorage'];
    expect(request.safeParse({ confirm: true }).success).toBe(true);
    expect(request.safeParse({ confirm: 'true' }).success).toBe(false);
    expect(request.safeParse({}).success).toBe(false);
  });
});
