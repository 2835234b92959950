/**
 * `npm start`: the Node host. Opens (or creates) the archive in the data folder, opens (or
 * creates) the Node instance's user, prints who it is and where its data lives, and runs until
 * SIGINT/SIGTERM, when it closes the archive cleanly. Later the app actor, federation and UI
 * hang off this host (DESIGN.md §1).
 *
 *   npm start -- [--data DIR] [--name NAME]
 *   LAMA_PASSPHRASE=…  unlocks (or, on first start, creates) the user without a prompt.
 */
import { parseArgs } from 'node:util';
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { createIdentity, hasIdentity, openIdentity, type Identity } from '../../actors/identity/identity.ts';
import { IdentityError } from '../../actors/identity/identity-error.ts';
import { IDENTITY_RECIPES, type Person } from '../../actors/identity/identity-recipes.ts';
import { ObjectStore } from '../../actors/store/object-store.ts';
import { SqliteStorage } from '../../actors/store/sqlite-storage.node.ts';
import { StoreError } from '../../actors/store/store-error.ts';
import { defaultDataDir } from './data-dir.node.ts';
import { askHidden, ask } from './prompt.node.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, name: { type: 'string' } } });
const dataDir = values.data ?? defaultDataDir();

async function passphrase(question: string): Promise<string | undefined> {
  if (process.env.LAMA_PASSPHRASE) return process.env.LAMA_PASSPHRASE;
  return process.stdin.isTTY ? askHidden(question) : undefined;
}

async function openUser(store: ObjectStore): Promise<Identity | undefined> {
  if (await hasIdentity(store)) {
    const secret = await passphrase('Passphrase: ');
    return secret === undefined ? undefined : openIdentity(store, platformCrypto, secret);
  }
  const name = values.name ?? (process.stdin.isTTY ? await ask('Your name: ') : undefined);
  const secret = await passphrase('Choose a passphrase: ');
  if (!name || !secret) return undefined;
  return createIdentity(store, platformCrypto, { name, instanceName: 'node archive', passphrase: secret });
}

async function main(): Promise<void> {
  const store = new ObjectStore({ adapter: await SqliteStorage.open(`${dataDir}/archive`), hasher: platformCrypto, recipes: IDENTITY_RECIPES });
  // Nothing else holds the event loop open yet (the federation listener will); the host runs until a signal.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  let closing = false;
  const shutDown = (signal: string) => {
    if (closing) return;
    closing = true;
    clearInterval(keepAlive);
    void store.close().then(() => {
      console.log(`LAMA stopped (${signal}); archive closed.`);
      process.exit(0);
    });
  };
  process.on('SIGINT', () => shutDown('SIGINT'));
  process.on('SIGTERM', () => shutDown('SIGTERM'));

  console.log(`LAMA data folder: ${dataDir}`);
  const me = await openUser(store);
  if (!me) {
    console.log((await hasIdentity(store))
      ? 'User: locked. Set LAMA_PASSPHRASE (or start in a terminal) to unlock it.'
      : 'User: none yet. Start in a terminal, or pass --name and LAMA_PASSPHRASE, to create one.');
  } else {
    const person = await store.getLatest<Person>(me.personId);
    console.log(`User: ${person?.object.name ?? '(unnamed)'} <${person?.object.email}>`);
    console.log(`Person: ${me.personId}`);
    console.log(`Instance: ${me.instanceId}`);
  }
  console.log('Ready. Press Ctrl+C to stop.');
}

main().catch((error: unknown) => {
  // Expected failures get one clear line; anything else is a bug and keeps its stack.
  if (error instanceof IdentityError || error instanceof StoreError) console.error(`LAMA: ${error.message} (${error.code})`);
  else console.error(error);
  process.exit(1);
});
