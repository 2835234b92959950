/**
 * `npm start`: the Node host as a program. Starts the supervised app tree with its archive in the
 * data folder, serves the UI on 127.0.0.1, opens it in a Chromium app window when one is installed
 * (otherwise prints the address), and stops cleanly on SIGINT/SIGTERM.
 *
 *   npm start -- [--data DIR] [--port N] [--federation-port N] [--no-browser] [--inspect] [--name NAME]
 *   LAMA_PASSPHRASE=…  provisions (creates or unlocks) the Node user without the UI.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TransitionLog } from '../../actors/inspection/transition-log.ts';
import { nodeWorkerPoolChild } from '../workers/node-pool.node.ts';
import { defaultDataDir } from './data-dir.node.ts';
import { FEDERATION_PORT } from './federation-child.node.ts';
import { startHost, type RunningHost } from './host.node.ts';
import { findChromium, openAppWindow } from './open-browser.node.ts';

const DEFAULT_PORT = 8766;

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string' },
    'federation-port': { type: 'string' },
    name: { type: 'string' },
    'no-browser': { type: 'boolean', default: false },
    inspect: { type: 'boolean', default: false },
  },
});

const dataDir = values.data ?? defaultDataDir();
const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
const federationPort = values['federation-port'] === undefined ? FEDERATION_PORT : Number(values['federation-port']);
const rendererDir = join(import.meta.dirname, '..', '..', 'dist', 'renderer');

function fail(error: unknown): never {
  const coded = error as { code?: unknown; message?: unknown };
  // Expected failures get one clear line; anything else is a bug and keeps its stack.
  if (typeof coded?.code === 'string' && typeof coded.message === 'string') console.error(`LAMA: ${coded.message} (${coded.code})`);
  else console.error(error);
  process.exit(1);
}

async function provisionFromEnvironment(host: RunningHost, passphrase: string): Promise<void> {
  try {
    const result = await host.provision({ name: values.name ?? 'LAMA user', passphrase });
    if (result.created) console.log('Created the Node user.');
  } catch (error) {
    const coded = error as { code?: string; message?: string };
    console.error(`LAMA: ${coded.message ?? String(error)} (${coded.code ?? 'ERROR'}) — unlock it from the window instead.`);
  }
}

async function main(): Promise<void> {
  for (const [flag, value] of [['--port', port], ['--federation-port', federationPort]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 65_535) fail({ code: 'BAD_PORT', message: `${flag} must be 0..65535, got ${value}` });
  }
  const host = await startHost({ dataDir, port, federationPort, rendererDir, workerPool: nodeWorkerPoolChild() }).catch(fail);
  // Handlers first: a signal that arrives while the rest starts must still stop the tree cleanly.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void host.stop().then(() => {
      console.log(`LAMA stopped (${signal}); archive closed.`);
      process.exit(0);
    }, fail);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  console.log(`LAMA data folder: ${dataDir}`);

  if (values.inspect) {
    const log = new TransitionLog();
    host.collector.subscribe((batch) => log.lines(batch).forEach((line) => console.log(`[inspect] ${line}`)));
  }
  host.app.subscribe((snapshot) => {
    if (snapshot.status !== 'done' || snapshot.value !== 'failed') return;
    fail({ code: 'APP_FAILED', message: snapshot.context.reason ?? 'the app failed' });
  });
  let announced = false;
  host.app.subscribe((snapshot) => {
    const user = snapshot.context.user;
    if (!user || announced) return;
    announced = true;
    console.log(`Node user: ${user.name} (person ${user.personId})`);
  });

  const passphrase = process.env.LAMA_PASSPHRASE;
  if (passphrase) await provisionFromEnvironment(host, passphrase);

  const chromium = values['no-browser'] ? undefined : findChromium();
  if (chromium) openAppWindow(chromium, host.url, join(dataDir, 'browser-profile'));
  console.log(`LAMA is running at ${host.url}${chromium ? '' : '  (open it in a browser)'}`);

}

main().catch(fail);
