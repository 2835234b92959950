/**
 * Throughput of 64 KiB data frames through two SecureChannels back to back (seal, frame, reassemble,
 * open, deliver) in one Node process: `npx tsx actors/net/secure-channel.bench.node.ts`. The default
 * export follows tests/bench/run.node.ts's convention, so the runner can take it over unchanged.
 * A 64 KiB frame stands for CHUM's batch of 64 objects of 1 KiB.
 */
import { pathToFileURL } from 'node:url';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { nodeCrypto } from '../crypto/node-crypto.node.ts';
import { channelPair, run } from './channel-test-kit.ts';

const FRAME_BODY = 64 * 1024;
const MIB = 1024 * 1024;

async function throughput(crypto: CryptoProvider, seconds: number): Promise<number> {
  const { a, b } = channelPair(crypto);
  await run(a, b);
  let received = 0;
  b.events.length = 0;
  const body = crypto.randomBytes(FRAME_BODY);
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < 64; i++) {
      a.channel.send(body);
      b.channel.receive(a.outbox.pop()!);
    }
    for (const event of b.events) if (event.type === 'data') received += event.body.length;
    b.events.length = 0;
    elapsed = performance.now() - started;
  }
  return received / MIB / (elapsed / 1000);
}

export default async function bench(): Promise<Record<string, number>> {
  await throughput(nodeCrypto, 0.5); // warm-up
  const node = await throughput(nodeCrypto, 3);
  const noble = await throughput(nobleCrypto, 3);
  return {
    'node:crypto MiB/s (64 KiB frames)': node,
    'node:crypto 1 KiB objects/s (64 per frame)': (node * MIB) / 1024,
    '@noble MiB/s (64 KiB frames)': noble,
    '@noble 1 KiB objects/s (64 per frame)': (noble * MIB) / 1024,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await bench());
