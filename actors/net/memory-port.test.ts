import { describe, expect, it } from 'vitest';
import { runFramePortTests } from './frame-port-tests.ts';
import { CLOSE_CODE } from './frame-port.ts';
import { memoryPortPair } from './memory-port.ts';

runFramePortTests(async () => {
  const { dialer, acceptor } = memoryPortPair();
  return { dialer, acceptor, teardown: async () => dialer.close() };
}, 'memory');

describe('memoryPortPair', () => {
  it('severs like a failed network: both ends close with 1006 and no reason', async () => {
    const { dialer, acceptor, sever } = memoryPortPair();
    const closes = [dialer, acceptor].map((port) => new Promise((resolve) => port.on('close', resolve)));
    sever();
    expect(await Promise.all(closes)).toEqual([
      { code: CLOSE_CODE.abnormal, reason: '' },
      { code: CLOSE_CODE.abnormal, reason: '' },
    ]);
  });
});
