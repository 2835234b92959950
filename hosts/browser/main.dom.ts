/**
 * Renderer bootstrap: picks the orchestration transport (Electron's bridge when present, else the
 * Node host's control socket with the per-launch secret from the URL fragment), starts the
 * host-link actor, the browser session and the status feed, and hands them to <lama-app>. No
 * business logic lives here.
 */
import './zod-jitless.dom.ts';
import { createActor, fromPromise } from 'xstate';
import { openBrowserInstance } from '../../actors/browser/browser-instance.dom.ts';
import { hostLinkEffects, type LinkClient } from '../../actors/host-link/host-link-effects.ts';
import { browserSessionMachine } from '../../machines/browser-session.ts';
import { OrchestrationError } from '../ipc/orchestration-error.ts';
import { clientFromBridge, type LamaBridge } from '../ipc/client.ts';
import { connectControl } from '../ipc/control-client.ts';
import { hostLinkMachine } from '../../machines/host-link.ts';
import { statusFeedMachine } from '../../machines/status-feed.ts';
import '../../ui/app/lama-app.ts';
import type { RendererServices } from '../../ui/services.ts';
import { InspectionCollector } from '../../actors/inspection/inspection-collector.ts';
import { PushHub } from './push-hub.ts';

/** The secret arrives in the fragment, which never leaves the browser; take it and drop it from the address bar. */
function takeSecret(): string {
  const secret = new URLSearchParams(location.hash.slice(1)).get('secret');
  if (secret) {
    sessionStorage.setItem('lama-secret', secret);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return secret ?? sessionStorage.getItem('lama-secret') ?? '';
}

const bridge = (window as { lama?: LamaBridge }).lama;
const secret = bridge ? '' : takeSecret();
let client: LinkClient | undefined;
const pushes = new PushHub();
const open = async (): Promise<LinkClient> => {
  client = bridge ? clientFromBridge(bridge) : await connectControl({ url: `ws://${location.host}/control`, secret });
  pushes.attach(client);
  return client;
};

// The browser's own actors are inspected too: the inspector shows them beside the Node's.
const collector = new InspectionCollector();
const link = createActor(hostLinkMachine.provide({ actors: hostLinkEffects(open) }), { inspect: collector.inspect }).start();

const instance = await openBrowserInstance();
const session = createActor(
  browserSessionMachine.provide({
    actors: {
      openStore: fromPromise(async () => ({ hasUser: await instance.peer.hasUser() })),
      unlockUser: fromPromise(({ input }) => instance.unlock(input)),
      findNode: fromPromise(() =>
        instance.peer.findNode(() => {
          if (!client) throw new OrchestrationError('DISCONNECTED', 'not connected to the Node host yet');
          return client['orchestrate:startFederation']({});
        }),
      ),
      connection: instance.peer.connectionLogic(instance.sync),
    },
  }),
  { inspect: collector.inspect },
).start();
const services: RendererServices = {
  instance,
  collector,
  onPush: (channel, listener) => pushes.on(channel, listener),
  orchestrate: (channel, request) => {
    if (!client) return Promise.reject(new OrchestrationError('DISCONNECTED', 'not connected to the Node host'));
    return (client[channel] as unknown as (r: typeof request) => Promise<never>)(request);
  },
};
// The status pushes a view may open after they came, kept from boot on.
const feed = createActor(statusFeedMachine, { inspect: collector.inspect }).start();
pushes.on('status:syncProgress', (progress) => feed.send({ type: 'status.syncProgress', ...progress, at: Date.now() }));
pushes.on('status:federationConnected', (status) => feed.send({ type: 'status.federationConnected', ...status, at: Date.now() }));
// Created here, not in the HTML: the element must have its actor before it first connects.
const app = document.createElement('lama-app');
app.link = link;
app.session = session;
app.services = services;
app.feed = feed;
document.body.append(app);
// The browser instance, for the end-to-end tests and benchmarks that drive it in Chromium (and for
// anyone poking at it from the devtools console): it is this page's own data, no privilege.
(globalThis as { lamaBrowser?: unknown }).lamaBrowser = instance;
