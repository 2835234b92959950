import { afterEach, describe, expect, it } from 'vitest';
import type { LamaNavigateEvent } from './app-events.ts';
import './lama-nav-rail.ts';
import { mount } from './services-test-kit.ts';

const links = (el: HTMLElement) => [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('a[data-view]')];
const key = (target: HTMLElement, key: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));

describe('lama-nav-rail', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists the six views with labels, the current one marked and the only tab stop', async () => {
    const rail = document.createElement('lama-nav-rail');
    rail.current = 'settings';
    await mount(rail);
    expect(rail.shadowRoot!.querySelector('nav')!.getAttribute('aria-label')).toBe('Main');
    expect(links(rail).map((a) => a.textContent!.trim())).toEqual(['Chats', 'Contacts', 'Devices', 'Settings', 'Data', 'Inspector']);
    expect(links(rail).map((a) => a.getAttribute('aria-current'))).toEqual(['false', 'false', 'false', 'page', 'false', 'false']);
    expect(links(rail).map((a) => a.tabIndex)).toEqual([-1, -1, -1, 0, -1, -1]);
    for (const a of links(rail)) expect(a.querySelector('svg')!.getAttribute('aria-hidden')).toBe('true');
  });

  it('moves focus with the arrow keys, Home and End, and opens a view with Enter, Space or a click', async () => {
    const rail = await mount(document.createElement('lama-nav-rail'));
    const opened: string[] = [];
    rail.addEventListener('lama-navigate', (event: LamaNavigateEvent) => opened.push(event.detail.view));
    const [chats, contacts] = links(rail);
    chats!.focus();
    key(chats!, 'ArrowDown');
    expect(rail.shadowRoot!.activeElement).toBe(contacts);
    expect(contacts!.tabIndex).toBe(0);
    expect(chats!.tabIndex).toBe(-1);
    key(contacts!, 'ArrowUp');
    key(chats!, 'ArrowUp');
    expect(rail.shadowRoot!.activeElement).toBe(links(rail)[5]);
    key(links(rail)[5]!, 'Home');
    expect(rail.shadowRoot!.activeElement).toBe(chats);
    key(chats!, 'End');
    key(links(rail)[5]!, ' ');
    links(rail)[2]!.click();
    expect(opened).toEqual(['inspector', 'devices']);
    // Enter on a link is its click, which the browser fires natively.
  });
});
