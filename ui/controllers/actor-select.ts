import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AnyActorRef, SnapshotFrom, Subscription } from 'xstate';

/**
 * Reads one slice of an actor's snapshot into a Lit component (STYLE.md §2.4): subscribes while
 * the component is connected, re-renders only when the selected value changes.
 */
export class ActorSelect<A extends AnyActorRef, T> implements ReactiveController {
  value!: T;
  #subscription?: Subscription;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly actor: () => A,
    private readonly select: (snapshot: SnapshotFrom<A>) => T,
    private readonly equals: (a: T, b: T) => boolean = Object.is,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const ref = this.actor();
    this.value = this.select(ref.getSnapshot());
    this.#subscription = ref.subscribe((snapshot: SnapshotFrom<A>) => {
      const next = this.select(snapshot);
      if (!this.equals(next, this.value)) {
        this.value = next;
        this.host.requestUpdate();
      }
    });
  }

  hostDisconnected(): void {
    this.#subscription?.unsubscribe();
  }
}
