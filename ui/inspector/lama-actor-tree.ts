import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { controls, theme } from '../theme.styles.ts';
import { LamaActorSelectEvent } from './inspector-events.ts';
import type { NodeFeedState } from './inspection-feed.ts';
import { inspectorTheme } from './inspector-theme.styles.ts';
import { displayName, stateText, type InspectedActor, type Source } from './inspector-model.ts';
import { styles } from './lama-actor-tree.styles.ts';

interface Row {
  readonly actor: InspectedActor;
  readonly level: number;
  readonly children: number;
  readonly expanded: boolean;
}

const GROUPS: readonly { readonly source: Source; readonly title: string }[] = [
  { source: 'node', title: 'Node host' },
  { source: 'browser', title: 'This window' },
];

/**
 * Every inspected actor as a tree under its parent, grouped by where it runs (the Node host, this
 * window), with a status dot and its current state. A WAI-ARIA tree: arrows move (and select),
 * Left and Right fold, Home and End jump. Tells its parent with `lama-actor-select`.
 */
@customElement('lama-actor-tree')
export class LamaActorTree extends LitElement {
  static override styles = [theme, controls, inspectorTheme, styles];

  @property({ attribute: false }) actors: readonly InspectedActor[] = [];
  @property() selected?: string;
  @property({ attribute: false }) node: NodeFeedState = { state: 'connecting' };
  @state() private collapsed: ReadonlySet<string> = new Set();

  override render() {
    return html`${GROUPS.map(({ source, title }) => {
      const rows = this.#rows(source);
      const headingId = `group-${source}`;
      return html`<section>
        <h2 id=${headingId}>
          <span>${title}</span>
          ${source === 'node' ? this.#nodeBadge() : nothing}
          <span class="count">${rows.length ? this.actors.filter((a) => a.source === source).length : ''}</span>
        </h2>
        ${rows.length
          ? html`<ul role="tree" aria-labelledby=${headingId} @keydown=${this.#onKey}>
              ${repeat(rows, (row) => row.actor.key, (row) => this.#row(row))}
            </ul>`
          : html`<p class="none">${source === 'node' && this.node.state !== 'live' ? 'No actors heard from the host yet.' : 'No actors.'}</p>`}
      </section>`;
    })}`;
  }

  #nodeBadge() {
    const { state } = this.node;
    if (state === 'live') return nothing;
    const message = this.node.state === 'unavailable' ? this.node.message : 'Asking the host for its actors';
    return html`<span class="badge ${state === 'unavailable' ? 'warn' : 'busy'}" title=${message}>${state === 'unavailable' ? 'Live only' : 'Connecting'}</span>`;
  }

  #row({ actor, level, children, expanded }: Row) {
    const selected = actor.key === this.selected;
    const text = stateText(actor);
    const name = displayName(actor);
    return html`<li
      role="treeitem"
      aria-level=${level}
      aria-selected=${selected ? 'true' : 'false'}
      aria-expanded=${children ? (expanded ? 'true' : 'false') : nothing}
      aria-label=${`${name}, ${actor.status}, ${text}`}
      tabindex=${selected || (!this.selected && level === 1) ? 0 : -1}
      data-key=${actor.key}
      class="${selected ? 'selected' : ''} ${actor.status === 'active' ? '' : 'ended'}"
      style="--level: ${level - 1}"
      @click=${() => this.#select(actor.key)}
    >
      <span
        class="twisty ${children ? '' : 'leaf'}"
        aria-hidden="true"
        @click=${(event: Event) => {
          event.stopPropagation();
          if (children) this.#toggle(actor.key);
        }}
        >${children ? (expanded ? '▾' : '▸') : ''}</span
      >
      <span class="dot ${actor.status}" aria-hidden="true"></span>
      <span class="name" title=${name}>${name}</span>
      <span class="state" title=${text}>${actor.machine ? text : actor.status}</span>
    </li>`;
  }

  /** The rows of one group, depth first, folded branches left out. */
  #rows(source: Source): Row[] {
    const actors = this.actors.filter((actor) => actor.source === source);
    const known = new Set(actors.map((actor) => actor.key));
    const children = new Map<string | undefined, InspectedActor[]>();
    for (const actor of actors) {
      const parent = actor.parent && known.has(actor.parent) ? actor.parent : undefined;
      children.set(parent, [...(children.get(parent) ?? []), actor]);
    }
    const rows: Row[] = [];
    const visit = (actor: InspectedActor, level: number) => {
      const kids = children.get(actor.key) ?? [];
      const expanded = !this.collapsed.has(actor.key);
      rows.push({ actor, level, children: kids.length, expanded });
      if (expanded) kids.forEach((kid) => visit(kid, level + 1));
    };
    (children.get(undefined) ?? []).forEach((actor) => visit(actor, 1));
    return rows;
  }

  #select(key: string): void {
    this.dispatchEvent(new LamaActorSelectEvent(key));
  }

  #toggle(key: string, open?: boolean): void {
    const next = new Set(this.collapsed);
    if (open ?? next.has(key)) next.delete(key);
    else next.add(key);
    this.collapsed = next;
  }

  #onKey = (event: KeyboardEvent): void => {
    const items = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role="treeitem"]')];
    const current = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    const index = current ? items.indexOf(current) : -1;
    if (index < 0) return;
    const key = current!.dataset['key']!;
    const expanded = current!.getAttribute('aria-expanded');
    const level = Number(current!.getAttribute('aria-level'));
    const moveTo = (target: HTMLElement | undefined) => {
      if (!target) return;
      target.focus();
      this.#select(target.dataset['key']!);
    };
    switch (event.key) {
      case 'ArrowDown':
        moveTo(items[index + 1]);
        break;
      case 'ArrowUp':
        moveTo(items[index - 1]);
        break;
      case 'Home':
        moveTo(items[0]);
        break;
      case 'End':
        moveTo(items.at(-1));
        break;
      case 'ArrowRight':
        if (expanded === 'false') this.#toggle(key, true);
        else if (expanded === 'true') moveTo(items[index + 1]);
        break;
      case 'ArrowLeft':
        if (expanded === 'true') this.#toggle(key, false);
        else moveTo(items.slice(0, index).reverse().find((item) => Number(item.getAttribute('aria-level')) < level));
        break;
      case 'Enter':
      case ' ':
        this.#select(key);
        break;
      default:
        return;
    }
    event.preventDefault();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-actor-tree': LamaActorTree;
  }
}
