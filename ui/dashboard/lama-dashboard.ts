import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ActorRefFrom } from 'xstate';
import type { statusFeedMachine } from '../../machines/status-feed.ts';
import { ActorSelect } from '../controllers/actor-select.ts';
import { formatBytes, formatCount, shortId } from '../app/format.ts';
import { HostQuery } from '../app/host-query.ts';
import { icon } from '../app/icons.ts';
import { viewStyles } from '../app/view.styles.ts';
import type { RendererServices } from '../services.ts';
import { controls, theme } from '../theme.styles.ts';
import { styles } from './lama-dashboard.styles.ts';

type StatusFeed = ActorRefFrom<typeof statusFeedMachine>;

/** The archive's counts are one cheap query: refresh them while the view is open. */
export const STATS_REFRESH_MS = 5_000;

const KIND_LABELS: Record<string, string> = { crypto: 'Crypto', sync: 'Sync', llm: 'Local model' };
const WORKER_TONES: Record<string, string> = { ready: 'ok', busy: 'busy', spawning: 'warn', restarting: 'warn', crashed: 'error', failed: 'error' };

/**
 * What the Node archive holds (objects and bytes per type), how each federation connection is
 * syncing (from the status feed), and the worker pool's queues and workers.
 */
@customElement('lama-dashboard')
export class LamaDashboard extends LitElement {
  static override styles = [theme, controls, viewStyles, styles];

  @property({ attribute: false }) services?: RendererServices;
  @property({ attribute: false }) feed?: StatusFeed;
  /** This browser's Instance id, to name its own connection. */
  @property() browserInstance = '';

  #stats = new HostQuery(this, () => this.services, 'orchestrate:storeStats', () => ({}));
  #pool = new HostQuery(this, () => this.services, 'orchestrate:workerPool', () => ({}), 'status:workerPool');
  #peers = new ActorSelect(this, () => this.feed!, (snapshot) => snapshot.context.peers);
  #timer?: ReturnType<typeof setInterval>;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#timer = setInterval(() => void this.#stats.refresh(), STATS_REFRESH_MS);
  }

  override disconnectedCallback(): void {
    clearInterval(this.#timer);
    super.disconnectedCallback();
  }

  override render() {
    const types = [...(this.#stats.value?.types ?? [])].sort((a, b) => b.bytes - a.bytes || a.type.localeCompare(b.type));
    const objects = types.reduce((sum, t) => sum + t.objects, 0);
    const bytes = types.reduce((sum, t) => sum + t.bytes, 0);
    const largest = Math.max(0, ...types.map((t) => t.bytes));
    const peers = Object.values(this.feed ? this.#peers.value : {}).sort((a, b) => b.at - a.at);
    const kinds = this.#pool.value?.kinds ?? [];
    const workers = kinds.flatMap((k) => k.workers);
    return html`<div class="view">
      <header class="view-header">
        <div>
          <h1>Data</h1>
          <p>What this computer's archive holds, how it syncs, and the workers doing the heavy lifting.</p>
        </div>
        <div class="actions">
          <button class="small" @click=${() => void this.#stats.refresh()} ?disabled=${this.#stats.loading}>${icon('refresh', 14)} Refresh</button>
        </div>
      </header>

      <ul class="tiles" role="list">
        <li class="card tile"><span class="figure">${formatCount(objects)}</span> <span class="secondary">objects</span></li>
        <li class="card tile"><span class="figure">${formatBytes(bytes)}</span> <span class="secondary">in the archive</span></li>
        <li class="card tile"><span class="figure">${formatCount(peers.filter((p) => p.connected).length)}</span> <span class="secondary">connections up</span></li>
        <li class="card tile"><span class="figure">${formatCount(workers.length)}</span> <span class="secondary">workers</span></li>
      </ul>

      <section aria-labelledby="types-heading">
        <h2 id="types-heading">Objects by type <span class="count">${types.length}</span></h2>
        <div class="card">
          ${this.#stats.error
            ? html`<p class="empty error-text" role="alert">${this.#stats.error.message}</p>`
            : this.#stats.value === undefined
              ? html`<p class="empty" role="status">Counting…</p>`
              : html`<table>
                  <thead><tr><th scope="col">Type</th><th scope="col" class="num">Objects</th><th scope="col" class="num">Size</th><th scope="col" class="bar-col"><span class="visually-hidden">Size against the largest type</span></th></tr></thead>
                  <tbody>
                    ${types.map(
                      (t) => html`<tr>
                        <th scope="row">${t.type}</th>
                        <td class="num">${formatCount(t.objects)}</td>
                        <td class="num">${formatBytes(t.bytes)}</td>
                        <td class="bar-col"><span class="track"><span class="bar" style="width: ${largest > 0 ? Math.max(1, (100 * t.bytes) / largest) : 0}%"></span></span></td>
                      </tr>`,
                    )}
                  </tbody>
                </table>`}
        </div>
      </section>

      <section aria-labelledby="sync-heading">
        <h2 id="sync-heading">Sync <span class="count">${peers.length}</span></h2>
        <div class="card">
          ${peers.length === 0
            ? html`<p class="empty">No connection has reported yet.</p>`
            : html`<ul class="rows" role="list">
                ${peers.map((p) => {
                  const complete = p.objectsTotal === 0 || p.objectsDone >= p.objectsTotal;
                  return html`<li>
                    <div class="grow">
                      <div class="peer-name">${p.peer === this.browserInstance ? 'This browser' : html`Instance <code title=${p.peer}>${shortId(p.peer)}</code>`}</div>
                      <div class="secondary">${formatCount(p.objectsDone)} of ${formatCount(p.objectsTotal)} objects · ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}</div>
                      ${complete ? nothing : html`<progress max=${p.objectsTotal} value=${p.objectsDone} aria-label="Sync progress"></progress>`}
                    </div>
                    <span class="badge ${p.connected === false ? '' : complete ? 'ok' : 'busy'}">${p.connected === false ? 'Disconnected' : complete ? 'In sync' : 'Syncing'}</span>
                  </li>`;
                })}
              </ul>`}
        </div>
      </section>

      <section aria-labelledby="pool-heading">
        <h2 id="pool-heading">Worker pool</h2>
        <div class="card">
          ${kinds.length === 0
            ? html`<p class="empty">${this.#pool.error ? this.#pool.error.message : 'No workers are running in this host.'}</p>`
            : html`<ul class="rows" role="list">
                ${kinds.map(
                  (k) => html`<li class="kind">
                    <div class="kind-name"><h3>${KIND_LABELS[k.kind] ?? k.kind}</h3><span class="secondary">${k.queued} queued</span></div>
                    <ul class="workers grow" role="list">
                      ${k.workers.map(
                        (w) => html`<li class="worker" title=${w.lastError ?? ''}>
                          <span class="badge ${WORKER_TONES[w.state] ?? ''}">${w.state}</span>
                          <code>${w.id}</code>
                          <span class="secondary">${w.inFlight} in flight${w.restarts > 0 ? ` · ${w.restarts} restart${w.restarts === 1 ? '' : 's'}` : ''}</span>
                          ${w.lastError ? html`<span class="worker-error">${w.lastError}</span>` : nothing}
                        </li>`,
                      )}
                    </ul>
                  </li>`,
                )}
              </ul>`}
        </div>
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-dashboard': LamaDashboard;
  }
}
