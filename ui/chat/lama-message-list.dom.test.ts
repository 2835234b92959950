import { afterEach, describe, expect, it } from 'vitest';
import { ADA, conversation, fakeChatView, TINY } from './chat-view-fake.ts';
import './lama-chat-view.ts';
import type { LamaChatView } from './lama-chat-view.ts';
import type { LamaMessageList } from './lama-message-list.ts';

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
async function frames(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await frame();
}

async function until(check: () => boolean, what: string, timeout = 5_000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await frame();
  }
}

async function mount(fake: ReturnType<typeof fakeChatView>, height = 600): Promise<{ view: LamaChatView; list: () => LamaMessageList; scroller: () => HTMLElement }> {
  fake.actor.start();
  const view = document.createElement('lama-chat-view');
  view.style.cssText = `display:flex; width: 800px; height: ${height}px`;
  view.actor = fake.actor;
  document.body.append(view);
  await until(() => view.shadowRoot!.querySelector('lama-message-list') !== null, 'the list');
  const list = () => view.shadowRoot!.querySelector('lama-message-list')!;
  return { view, list, scroller: () => list().shadowRoot!.querySelector<HTMLElement>('lit-virtualizer')! };
}

const articles = (list: LamaMessageList) => [...list.shadowRoot!.querySelectorAll<HTMLElement>('lit-virtualizer [role="article"]')];
const info = { name: 'Tiny', participants: [ADA, TINY] };

describe('lama-message-list', () => {
  afterEach(() => document.body.replaceChildren());

  it('renders only a window of a 10,000-message topic, starting at the newest, and reaches the first by scrolling', async () => {
    const messages = conversation(10_000);
    const fake = fakeChatView({ info, messages, pageSize: 10_000 });
    const { list, scroller } = await mount(fake);
    await until(() => articles(list()).some((a) => a.textContent!.includes('Message 9999')), 'the newest message');
    const shown = articles(list());
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(120);
    // The newest message is at the bottom of the viewport.
    const newest = shown.find((a) => a.textContent!.includes('Message 9999'))!;
    expect(Math.abs(newest.getBoundingClientRect().bottom - scroller().getBoundingClientRect().bottom)).toBeLessThan(40);

    for (let i = 0; i < 40 && !articles(list()).some((a) => a.textContent!.includes('Message 0')); i++) {
      scroller().scrollTop = 0;
      await frames(2);
    }
    expect(articles(list()).some((a) => /Message 0\b/.test(a.textContent!))).toBe(true);
    expect(articles(list()).length).toBeLessThan(120);
    expect(list().shadowRoot!.querySelector('.intro')!.textContent).toContain('This is the beginning of Tiny');
  });

  it('groups messages by author with one name and avatar per group, and separates days', async () => {
    const now = Date.now();
    const day = 86_400_000;
    const messages = [
      { hash: '1'.padStart(64, '0'), author: ADA.id, text: 'Yesterday, one', createdAt: now - day - 120_000 },
      { hash: '2'.padStart(64, '0'), author: ADA.id, text: 'Yesterday, two', createdAt: now - day - 60_000 },
      { hash: '3'.padStart(64, '0'), author: TINY.id, text: 'Today', createdAt: now - 60_000 },
      { hash: '4'.padStart(64, '0'), author: TINY.id, text: 'Today, again', createdAt: now - 30_000 },
    ];
    const { list } = await mount(fakeChatView({ info, messages }));
    await until(() => articles(list()).length === 4, 'four messages');
    const rows = articles(list());
    expect(rows.map((r) => r.classList.contains('first'))).toEqual([true, false, true, false]);
    expect(rows[0]!.querySelector('.name')!.textContent).toBe('You');
    expect(rows[2]!.querySelector('.name')!.textContent).toBe('Tiny');
    expect(rows[2]!.querySelector('.ai-badge')!.textContent).toBe('AI');
    expect(rows[0]!.getAttribute('aria-label')).toMatch(/^You, /);
    const days = [...list().shadowRoot!.querySelectorAll('[role="separator"]')].map((d) => d.textContent!.trim());
    expect(days).toEqual(['Yesterday', 'Today']);
  });

  it('neutralises HTML and script in messages, and renders markdown and code blocks', async () => {
    const attack = [
      'Look: <img src=x onerror="globalThis.pwned = true">',
      '<script>globalThis.pwned = true</script>',
      '[click me](javascript:globalThis.pwned=true) and ![pixel](https://tracker.example/p.gif)',
      '<a href="https://evil.example" onclick="globalThis.pwned = true">x</a> <iframe src="https://evil.example"></iframe>',
      '',
      '```ts',
      'const a = 1 < 2;',
      '```',
      '',
      '**bold** and `inline`',
    ].join('\n');
    const messages = [{ hash: '1'.padStart(64, '0'), author: TINY.id, text: attack, createdAt: Date.now() }];
    const { list } = await mount(fakeChatView({ info, messages }));
    await until(() => articles(list()).length === 1, 'the message');
    await frames(2);
    const body = articles(list())[0]!.querySelector('.text')!;
    expect(body.querySelector('img, script, iframe, [onerror], [onclick]')).toBeNull();
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
    for (const a of body.querySelectorAll('a')) {
      expect(a.getAttribute('href') ?? '').not.toMatch(/^javascript:/i);
      expect(a.getAttribute('rel')).toContain('noopener');
    }
    // Raw HTML is shown as the text it is; the image became a link to it, loading nothing.
    expect(body.textContent).toContain('<img src=x onerror=');
    expect(body.textContent).toContain('<script>');
    expect([...body.querySelectorAll('a')].some((a) => a.getAttribute('href') === 'https://tracker.example/p.gif')).toBe(true);
    expect(body.querySelector('.code pre code')!.textContent).toBe('const a = 1 < 2;');
    expect(body.querySelector('.code-head')!.textContent).toContain('ts');
    expect(body.querySelector('strong')!.textContent).toBe('bold');
  });

  it('keeps the message on screen in place when an older page is added above it', async () => {
    const fake = fakeChatView({ info, messages: conversation(2_000), pageSize: 80, holdOlder: true });
    const { list, scroller } = await mount(fake, 500);
    await until(() => articles(list()).some((a) => a.textContent!.includes('Message 1999')), 'the newest page');
    await frames(10);
    // Reading upwards, near the top: the list stops following the newest message, and asks for the next page.
    scroller().scrollTop = 600;
    await until(() => fake.actor.getSnapshot().matches({ ready: { history: 'loadingOlder' } }), 'the request for older messages');
    await until(() => list().shadowRoot!.querySelector('button.latest') !== null, 'the way back to the newest');
    expect(scroller().scrollTop).toBeLessThan(1_200);
    await frames(4);
    const top = scroller().getBoundingClientRect().top;
    const target = articles(list()).find((a) => a.getBoundingClientRect().top >= top)!;
    const at = target.getBoundingClientRect().top;
    const before = fake.actor.getSnapshot().context.messages.length;
    fake.releaseOlder();
    await until(() => fake.actor.getSnapshot().context.messages.length > before, 'the older page');
    await frames(8);
    const again = list().shadowRoot!.querySelector<HTMLElement>(`[data-key="${target.dataset.key}"]`)!;
    expect(Math.abs(again.getBoundingClientRect().top - at)).toBeLessThan(4);
  });

  it('shows a failed send inline with Retry and Discard', async () => {
    const fake = fakeChatView({ info, messages: conversation(3), sendFails: { code: 'STORE', message: 'the disk is full' } });
    const { view, list } = await mount(fake);
    fake.actor.send({ type: 'message.send', text: 'Will this go?' });
    await until(() => list().shadowRoot!.querySelector('.pending.failed') !== null, 'the failed message');
    const failed = list().shadowRoot!.querySelector('.pending.failed')!;
    expect(failed.textContent).toContain('Not sent: the disk is full');
    const [retry, discard] = failed.querySelectorAll('button');
    retry!.click();
    await until(() => fake.sent.length === 2, 'the second attempt');
    await until(() => list().shadowRoot!.querySelector('.pending.failed') !== null, 'the failed message again');
    list().shadowRoot!.querySelector<HTMLButtonElement>('.pending.failed button.ghost')!.click();
    expect(discard).toBeTruthy();
    await until(() => list().shadowRoot!.querySelector('.pending') === null, 'the message discarded');
    expect(view.isConnected).toBe(true);
  });
});
