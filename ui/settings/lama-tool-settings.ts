import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ResponseOf } from '../../hosts/ipc/channels.ts';
import { asQueryError, HostQuery } from '../app/host-query.ts';
import { icon } from '../app/icons.ts';
import { viewStyles } from '../app/view.styles.ts';
import type { RendererServices } from '../services.ts';
import { controls, theme } from '../theme.styles.ts';
import { styles } from './lama-tool-settings.styles.ts';

type Settings = ResponseOf<'orchestrate:toolSettings'>;
type Server = Settings['servers'][number];
type Rule = 'allow' | 'ask' | 'block';

const SERVER_LABELS: Record<string, string> = { filesystem: 'Files', lama: 'LAMA' };
const DECISIONS = { run: ['ok', 'Runs without asking'], ask: ['warn', 'Asks you first'], refuse: ['error', 'Blocked'] } as const;
/** The filesystem server starts a moment after folders are chosen: look again then. */
const RESTART_LOOK_MS = 2_000;

/**
 * The AI's tools on this device: the folders its file tools may reach (none: they are off), and
 * per tool server which tools run without asking, ask every time, or never run (specs/mcp.md §6).
 * Each change goes to the host at once; the host's answer is what is shown.
 */
@customElement('lama-tool-settings')
export class LamaToolSettings extends LitElement {
  static override styles = [theme, controls, viewStyles, styles];

  @property({ attribute: false }) services?: RendererServices;
  @state() private problem?: string;
  @state() private saving = false;
  #settings = new HostQuery(this, () => this.services, 'orchestrate:toolSettings', () => ({}));
  #look?: ReturnType<typeof setTimeout>;

  override disconnectedCallback(): void {
    clearTimeout(this.#look);
    super.disconnectedCallback();
  }

  override render() {
    const settings = this.#settings.value;
    return html`
      <h2 id="folders-heading">${icon('folder', 16)} Folders the AI may use</h2>
      ${this.problem ? html`<p class="error-text" role="alert">${this.problem}</p>` : nothing}
      <div class="card" aria-labelledby="folders-heading">
        ${settings === undefined
          ? html`<p class="empty" role="status">${this.#settings.error ? this.#settings.error.message : 'Loading…'}</p>`
          : html`${settings.roots.length === 0
                ? html`<p class="empty">No folder chosen: the AI's file tools are off.</p>`
                : html`<ul class="rows" role="list">
                    ${settings.roots.map(
                      (root) => html`<li>
                        ${icon('folder', 18)}<code class="grow ellipsis" title=${root}>${root}</code>
                        <button class="small danger" ?disabled=${this.saving} @click=${() => void this.#setRoots(settings.roots.filter((r) => r !== root))} aria-label="Stop sharing ${root}">Remove</button>
                      </li>`,
                    )}
                  </ul>`}
              <form class="add-folder" @submit=${this.#addFolder}>
                <input name="folder" class="grow" required placeholder="/home/you/Documents/notes" aria-label="Folder path" autocomplete="off" />
                <button type="submit" ?disabled=${this.saving}>${icon('plus', 14)} Add folder</button>
              </form>`}
      </div>
      <p class="note">The AI can read, search and — after you approve each change — write inside these folders only.</p>

      <h2 id="approvals-heading" class="spaced">Tool approvals</h2>
      ${settings?.servers.map((server) => this.#server(server)) ?? nothing}
    `;
  }

  #server(server: Server) {
    const everything = ruleFor(server, '*');
    const offered = new Set(server.tools.map((t) => t.name));
    const elsewhere = (['allow', 'ask', 'block'] as const).flatMap((rule) => server.rules[rule].filter((tool) => tool !== '*' && !offered.has(tool)).map((tool) => [tool, rule] as const));
    const label = SERVER_LABELS[server.id] ?? server.id;
    return html`<article class="card server" aria-label="${label} tools">
      <header>
        <h3>${label} <span class="secondary mono">${server.id}</span></h3>
        <span class="badge ${server.running ? 'ok' : ''}">${server.running ? 'Running' : server.id === 'filesystem' ? 'Off until a folder is chosen' : 'Not running'}</span>
        <label class="all">All tools
          ${this.#select(everything, `All ${label} tools`, (rule) => this.#setRule(server.id, '*', rule), 'Each tool decides')}
        </label>
      </header>
      ${server.tools.length === 0 && elsewhere.length === 0
        ? html`<p class="empty">Its tools are listed once it runs.</p>`
        : html`<ul class="rows" role="list">
            ${server.tools.map(
              (tool) => html`<li>
                <div class="grow">
                  <div>${tool.title} <span class="tag ${tool.readOnly ? 'reads' : 'writes'}">${tool.readOnly ? 'reads' : 'changes'}</span></div>
                  <div class="secondary mono">${tool.name}</div>
                </div>
                <span class="badge ${DECISIONS[tool.decision][0]}">${DECISIONS[tool.decision][1]}</span>
                ${this.#select(tool.rule, `${tool.title}`, (rule) => this.#setRule(server.id, tool.name, rule), tool.readOnly ? 'Default: run' : 'Default: ask')}
              </li>`,
            )}
            ${elsewhere.map(
              ([tool, rule]) => html`<li>
                <div class="grow"><div class="mono">${tool}</div><div class="secondary">Not offered now; the rule is kept</div></div>
                ${this.#select(rule, tool, (next) => this.#setRule(server.id, tool, next), 'Default')}
              </li>`,
            )}
          </ul>`}
    </article>`;
  }

  #select(rule: Rule | null, label: string, change: (rule: Rule | null) => void, defaultLabel: string) {
    return html`<select aria-label="Approval for ${label}" .value=${rule ?? ''} ?disabled=${this.saving} @change=${(e: Event) => change(((e.target as HTMLSelectElement).value || null) as Rule | null)}>
      <option value="">${defaultLabel}</option>
      <option value="allow">Always allow</option>
      <option value="ask">Ask every time</option>
      <option value="block">Block</option>
    </select>`;
  }

  async #change(work: () => Promise<void>): Promise<void> {
    this.saving = true;
    this.problem = undefined;
    try {
      await work();
    } catch (error) {
      this.problem = asQueryError(error).message;
      await this.#settings.refresh();
    } finally {
      this.saving = false;
    }
  }

  #setRule(server: string, tool: string, rule: Rule | null): Promise<void> {
    return this.#change(async () => this.#settings.set(await this.services!.orchestrate('orchestrate:setToolRule', { server, tool, rule })));
  }

  #setRoots(roots: string[]): Promise<void> {
    return this.#change(async () => {
      await this.services!.orchestrate('orchestrate:setToolRoots', { roots });
      await this.#settings.refresh();
      clearTimeout(this.#look);
      this.#look = setTimeout(() => void this.#settings.refresh(), RESTART_LOOK_MS);
    });
  }

  #addFolder = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const folder = String(new FormData(form).get('folder') ?? '').trim();
    const roots = this.#settings.value?.roots ?? [];
    if (!folder || roots.includes(folder)) return;
    void this.#setRoots([...roots, folder]).then(() => {
      if (!this.problem) form.reset();
    });
  };
}

function ruleFor(server: Server, tool: string): Rule | null {
  return (['block', 'ask', 'allow'] as const).find((rule) => server.rules[rule].includes(tool)) ?? null;
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-tool-settings': LamaToolSettings;
  }
}
