import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AnyActorRef, SnapshotFrom, Subscription } from 'xstate';

/**
 * Like ui/controllers/actor-select.ts, but re-renders at most once per animation frame: an AI's
 * answer streams in as many small updates (specs/ai.md §5), and drawing each would cost frames.
 * Changes between two frames collapse into one render with the latest value. Follows the actor
 * the host currently names (a view that switches topics switches actors).
 */
export class FrameSelect<A extends AnyActorRef, T> implements ReactiveController {
  value!: T;
  #actor?: A;
  #subscription?: Subscription;
  #frame = 0;
  #next?: T;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly actor: () => A | undefined,
    private readonly select: (snapshot: SnapshotFrom<A>) => T,
    private readonly equals: (a: T, b: T) => boolean = Object.is,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#bind();
  }

  /** Before each render: a new actor is read at once, not a frame later. */
  hostUpdate(): void {
    if (this.actor() !== this.#actor) this.#bind();
  }

  hostDisconnected(): void {
    this.#unbind();
  }

  #bind(): void {
    this.#unbind();
    const ref = (this.#actor = this.actor());
    if (!ref) return;
    this.value = this.select(ref.getSnapshot());
    this.#subscription = ref.subscribe((snapshot: SnapshotFrom<A>) => {
      const next = this.select(snapshot);
      if (this.equals(next, this.#next ?? this.value)) return;
      this.#next = next;
      this.#frame ||= requestAnimationFrame(() => {
        this.#frame = 0;
        this.value = this.#next!;
        this.#next = undefined;
        this.host.requestUpdate();
      });
    });
  }

  #unbind(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#next = undefined;
  }
}
