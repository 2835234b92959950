import { afterEach, describe, expect, it } from 'vitest';
import type { ToolApproval } from '../../machines/chat-view.ts';
import type { LamaDecideEvent } from './chat-events.ts';
import './lama-approval-card.ts';
import type { LamaApprovalCard } from './lama-approval-card.ts';

const approval: ToolApproval = {
  call: {
    id: 'call-3',
    name: 'write_file',
    arguments: { path: '/home/ada/notes/plan.md', content: `# Plan\n${'A long line of text that must not be shortened. '.repeat(40)}`, options: { overwrite: true, modes: [420, 384] } },
  },
  title: 'Write a file',
  reason: 'Writing changes your files.',
  destructive: true,
};

async function mount(decided?: string): Promise<{ card: LamaApprovalCard; decisions: LamaDecideEvent['detail'][] }> {
  const card = document.createElement('lama-approval-card');
  card.approval = approval;
  card.ai = 'Tiny';
  card.decided = decided;
  document.body.append(card);
  await card.updateComplete;
  const decisions: LamaDecideEvent['detail'][] = [];
  card.addEventListener('lama-decide', (event: LamaDecideEvent) => decisions.push(event.detail));
  return { card, decisions };
}

describe('lama-approval-card', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows the tool, why it asks, and the full arguments as formatted JSON', async () => {
    const { card } = await mount();
    const root = card.shadowRoot!;
    expect(root.querySelector('h3')!.textContent).toBe('Tiny wants to use write_file');
    expect(root.querySelector('.summary')!.textContent).toBe('Write a file');
    expect(root.querySelector('.reason')!.textContent).toBe('Writing changes your files.');
    const shown = root.querySelector('.arguments')!.textContent!;
    expect(shown).toBe(JSON.stringify(approval.call.arguments, null, 2));
    expect(JSON.parse(shown)).toEqual(approval.call.arguments);
    expect(root.querySelector('section')!.classList.contains('destructive')).toBe(true);
    expect(root.querySelector('section')!.getAttribute('role')).toBe('group');
  });

  it('sends the choice of each button for this call, and waits once answered', async () => {
    const { card, decisions } = await mount();
    const buttons = [...card.shadowRoot!.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent!.trim())).toEqual(['Allow once', 'Always allow', 'Deny']);
    for (const button of buttons) button.click();
    expect(decisions).toEqual([
      { callId: 'call-3', choice: 'allowOnce' },
      { callId: 'call-3', choice: 'alwaysAllow' },
      { callId: 'call-3', choice: 'deny' },
    ]);
    card.decided = 'call-3';
    await card.updateComplete;
    expect([...card.shadowRoot!.querySelectorAll('button')].every((b) => b.disabled)).toBe(true);
    expect(card.shadowRoot!.querySelector('[role="status"]')!.textContent).toContain('waiting for Tiny');
  });

  it('answers a newer call again even if an older one was answered', async () => {
    const { card } = await mount('call-2');
    expect([...card.shadowRoot!.querySelectorAll('button')].some((b) => b.disabled)).toBe(false);
  });
});
