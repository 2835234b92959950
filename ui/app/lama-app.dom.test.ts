import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromCallback, fromPromise, type AnyActorRef } from 'xstate';
import type { BrowserInstance } from '../../actors/browser/browser-instance.dom.ts';
import { browserSessionMachine } from '../../machines/browser-session.ts';
import { hostLinkMachine, type AppStatus, type NodeUser } from '../../machines/host-link.ts';
import { statusFeedMachine } from '../../machines/status-feed.ts';
import { LamaProvisionEvent } from '../events.ts';
import { LamaNavigateEvent, LamaSetupDoneEvent } from './app-events.ts';
import type { LamaApp } from './lama-app.ts';
import './lama-app.ts';
import { fakeServices, settle } from './services-test-kit.ts';

const ADA: NodeUser = { personId: 'a'.repeat(64), instanceId: 'b'.repeat(64), name: 'Ada' };
const BROWSER = { personId: 'c'.repeat(64), instanceId: 'd'.repeat(64) };

/**
 * The real host-link and browser-session machines with fake effects: a host whose user exists
 * (`provisioned`) or not, a browser store with or without its user, a federation that links up.
 */
function world(options: { provisioned: boolean; browserHasUser: boolean }) {
  let provisioned = options.provisioned;
  const app = (): AppStatus => ({ state: provisioned ? 'live.running' : 'live.provisioning', provisioning: provisioned ? 'provisioned' : 'awaitingUser', failures: [] });
  const link = createActor(
    hostLinkMachine.provide({
      actors: {
        connect: fromPromise<void>(async () => undefined),
        listen: fromCallback(() => () => undefined),
        fetchStatus: fromPromise(async () => ({ app: app(), user: provisioned ? ADA : null })),
        provision: fromPromise(async () => {
          provisioned = true;
          return ADA;
        }),
      },
    }),
  ).start();
  const session = createActor(
    browserSessionMachine.provide({
      actors: {
        openStore: fromPromise(async () => ({ hasUser: options.browserHasUser })),
        unlockUser: fromPromise(async () => BROWSER),
        findNode: fromPromise(async () => ({ url: 'ws://127.0.0.1:8765' })),
        connection: fromCallback(({ input }: { input: { reportTo: AnyActorRef } }) => {
          input.reportTo.send({ type: 'connection.up' });
          return () => undefined;
        }),
      },
    }),
  ).start();
  const feed = createActor(statusFeedMachine).start();
  return { link, session, feed, stop: () => [link, session, feed].forEach((a) => a.stop()) };
}

async function mountApp(w: ReturnType<typeof world>): Promise<LamaApp> {
  const el = document.createElement('lama-app');
  el.link = w.link;
  el.session = w.session;
  el.feed = w.feed;
  // Only what the views read of the browser instance: an empty store feed, no AI contacts yet.
  const instance = { store: { onWrite: () => () => undefined }, aiContacts: async () => [], chat: undefined, nodePerson: undefined } as unknown as BrowserInstance;
  el.services = fakeServices(
    {
      'orchestrate:detectProviders': async () => ({ providers: [] }),
      'orchestrate:hostInfo': async () => ({ dataDir: '/data', federationUrl: null }),
      'orchestrate:aiProviders': async () => ({ providers: [] }),
      'orchestrate:toolSettings': async () => ({ roots: [], servers: [] }),
      'orchestrate:storeStats': async () => ({ types: [] }),
      'orchestrate:workerPool': async () => ({ kinds: [] }),
    },
    instance,
  ).services;
  document.body.append(el);
  await settle(el);
  return el;
}

const $ = (el: LamaApp, selector: string) => el.shadowRoot!.querySelector(selector);
const current = (el: LamaApp) => $(el, 'lama-nav-rail')!.getAttribute('current') ?? (($(el, 'lama-nav-rail') as { current?: string } | null)?.current);

describe('lama-app', () => {
  let w: ReturnType<typeof world> | undefined;
  afterEach(() => {
    document.body.replaceChildren();
    w?.stop();
  });

  it('creates a new user with onboarding, asks for a first AI, then opens the app in Chats', async () => {
    w = world({ provisioned: false, browserHasUser: false });
    const el = await mountApp(w);
    const onboarding = $(el, 'lama-onboarding') as HTMLElement & { mode: string };
    expect(onboarding.mode).toBe('create');
    expect($(el, 'lama-nav-rail')).toBeNull();

    onboarding.dispatchEvent(new LamaProvisionEvent({ name: 'Ada', passphrase: 'correct horse battery' }));
    await settle(el);
    const dialog = $(el, 'dialog.setup') as HTMLDialogElement;
    expect(dialog.open).toBe(true);
    expect(dialog.querySelector('lama-provider-setup')).not.toBeNull();
    expect(current(el)).toBe('chats');

    dialog.querySelector('lama-provider-setup')!.dispatchEvent(new LamaSetupDoneEvent({}));
    await settle(el);
    expect($(el, 'dialog.setup')).toBeNull();
    expect($(el, 'lama-chat-layout')).not.toBeNull();
    expect(w.session.getSnapshot().value).toBe('federating');
  });

  it('unlocks an existing user without the first-AI step', async () => {
    w = world({ provisioned: true, browserHasUser: true });
    const el = await mountApp(w);
    const onboarding = $(el, 'lama-onboarding') as HTMLElement & { mode: string };
    expect(onboarding.mode).toBe('unlock');
    onboarding.dispatchEvent(new LamaProvisionEvent({ name: '', passphrase: 'correct horse battery' }));
    await settle(el);
    expect($(el, 'dialog.setup')).toBeNull();
    expect($(el, 'lama-nav-rail')).not.toBeNull();
    const status = $(el, 'lama-connection-status') as HTMLElement & { host: string; federation: string; federationLabel: string };
    expect([status.host, status.federation, status.federationLabel]).toEqual(['connected', 'up', 'Linked to the Node instance']);
  });

  it('shows the view a navigation asks for, and follows Alt+digit shortcuts', async () => {
    w = world({ provisioned: true, browserHasUser: true });
    const el = await mountApp(w);
    $(el, 'lama-onboarding')!.dispatchEvent(new LamaProvisionEvent({ name: '', passphrase: 'correct horse battery' }));
    await settle(el);
    for (const [view, tag] of [['contacts', 'lama-contacts'], ['devices', 'lama-devices'], ['settings', 'lama-settings'], ['data', 'lama-dashboard'], ['inspector', 'lama-inspector']] as const) {
      $(el, 'lama-nav-rail')!.dispatchEvent(new LamaNavigateEvent({ view }));
      await settle(el);
      expect(current(el)).toBe(view);
      expect($(el, `main ${tag}`)).not.toBeNull();
    }
    expect(document.title).toBe('Inspector · LAMA');
    $(el, 'main')!.dispatchEvent(new KeyboardEvent('keydown', { key: '1', code: 'Digit1', altKey: true, bubbles: true, composed: true }));
    await settle(el);
    expect(current(el)).toBe('chats');
    const devices = $(el, 'lama-nav-rail')!;
    devices.dispatchEvent(new KeyboardEvent('keydown', { key: '3', code: 'Digit3', altKey: true, bubbles: true, composed: true }));
    await settle(el);
    expect((($(el, 'main lama-devices') as HTMLElement & { browser?: unknown }).browser)).toEqual(BROWSER);
  });

  it('says it is connecting before the host answers', async () => {
    const link = createActor(hostLinkMachine.provide({ actors: { connect: fromPromise(() => new Promise<void>(() => undefined)) } })).start();
    const session = createActor(browserSessionMachine.provide({ actors: { openStore: fromPromise(() => new Promise<{ hasUser: boolean }>(() => undefined)) } })).start();
    const el = document.createElement('lama-app');
    el.link = link;
    el.session = session;
    document.body.append(el);
    await settle(el);
    expect($(el, '[role="status"]')!.textContent).toContain('Connecting to LAMA…');
    link.stop();
    session.stop();
  });
});
