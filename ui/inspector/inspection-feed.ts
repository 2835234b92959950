import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RendererServices } from '../services.ts';
import { actorKey, type FeedRecord, type InspectorModel } from './inspector-model.ts';

export type NodeFeedState = { readonly state: 'connecting' } | { readonly state: 'live' } | { readonly state: 'unavailable'; readonly message: string };

/** Asks the host for its overview at most this often, however many unknown machines arrive. */
const ASK_INTERVAL_MS = 1_000;
/** And this often regardless: actors of a host that restarted unseen leave the tree. */
const REFRESH_MS = 30_000;

/**
 * Feeds the inspector's model while the inspector is connected (STYLE.md §2.4): the browser's own
 * collector (its overview, then its batches) and the Node host's (`orchestrate:inspection`, then
 * `status:inspection`). It asks the host again when a push names a machine it has no definition
 * for, when the host's actors are born again (a restarted host reuses their ids), and every 30 s.
 */
export class InspectionFeed implements ReactiveController {
  node: NodeFeedState = { state: 'connecting' };
  #services?: RendererServices;
  #connected = false;
  #off: (() => void)[] = [];
  #asking = false;
  #askAgain = false;
  #lastAsk = 0;
  /** The host answered NOT_IMPLEMENTED: its pushes are all there is. */
  #unsupported = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly model: InspectorModel,
  ) {
    host.addController(this);
  }

  /** The services to read; a change while connected moves the subscriptions. */
  set services(services: RendererServices | undefined) {
    if (services === this.#services) return;
    this.#detach();
    this.#services = services;
    if (this.#connected) this.#attach();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#attach();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#detach();
  }

  #attach(): void {
    const services = this.#services;
    if (!services || this.#off.length) return;
    const { collector } = services;
    const overview = collector.overview();
    this.model.addDefinitions('browser', overview.definitions);
    this.model.seed('browser', overview);
    this.#off.push(
      collector.subscribe((batch) => {
        const fresh: Record<string, NonNullable<ReturnType<typeof collector.definition>>> = {};
        for (const record of batch) {
          if (!record.machine || this.model.hasDefinition('browser', record.machine)) continue;
          const definition = collector.definition(record.machine);
          if (definition) fresh[record.machine] = definition;
        }
        this.model.addDefinitions('browser', fresh);
        this.model.ingest('browser', batch);
      }),
    );
    this.#off.push(services.onPush('status:inspection', ({ events }) => this.#onNodeRecords(events)));
    const refresh = setInterval(() => this.#ask(), REFRESH_MS);
    this.#off.push(() => clearInterval(refresh));
    this.#ask();
  }

  #detach(): void {
    this.#off.forEach((off) => off());
    this.#off = [];
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #onNodeRecords(records: readonly FeedRecord[]): void {
    // A birth of an actor already known: the host started again, and its old actors are gone.
    const restarted = records.some((r) => r.type === 'snapshot' && r.event?.type === 'xstate.start' && this.model.actor(actorKey('node', r.actorId)));
    if (restarted) this.model.forget('node');
    this.model.ingest('node', records);
    const unknown = records.some((r) => r.machine && !this.model.hasDefinition('node', r.machine));
    if (restarted || unknown || this.node.state !== 'live') this.#ask();
  }

  /** One overview request at a time, at most one a second; later wishes fold into one more. */
  #ask(): void {
    const services = this.#services;
    if (!services || !this.#connected || this.#unsupported) return;
    if (this.#asking || this.#timer !== undefined) {
      this.#askAgain = true;
      return;
    }
    const wait = this.#lastAsk + ASK_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#ask();
      }, wait);
      return;
    }
    this.#asking = true;
    this.#lastAsk = Date.now();
    services
      .orchestrate('orchestrate:inspection', {})
      .then(
        (reply) => {
          if (this.#services !== services) return;
          this.model.addDefinitions('node', reply.definitions);
          this.model.seed('node', reply);
          this.node = { state: 'live' };
        },
        (error: { code?: string; message?: string }) => {
          if (this.#services !== services) return;
          this.#unsupported = error?.code === 'NOT_IMPLEMENTED';
          this.node = { state: 'unavailable', message: error?.message ?? String(error) };
        },
      )
      .finally(() => {
        this.#asking = false;
        this.host.requestUpdate();
        if (this.#askAgain) {
          this.#askAgain = false;
          this.#ask();
        }
      });
  }
}
