import createDOMPurify, { type Config } from 'dompurify';
import { Marked, type Tokens } from 'marked';

/**
 * Message text as HTML: GitHub-flavoured markdown by `marked`, then sanitised by DOMPurify to a
 * short list of tags and attributes. Messages come from other people and from AI models, so they
 * are untrusted: raw HTML in a message is shown as text (never parsed), images are shown as links
 * (no remote loads that would tell a sender when a message was read), links open elsewhere and
 * carry no referrer, and `javascript:` and other unsafe URLs are dropped by DOMPurify — which also
 * removes anything the markdown stage might let through. Code blocks get a language label and a
 * Copy button (`data-copy`, handled by the message list).
 */
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    image: ({ href, text }: Tokens.Image) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
    code: ({ text, lang }: Tokens.Code) => {
      const language = (lang ?? '').match(/^[\w+#.-]{1,32}/)?.[0] ?? '';
      return `<div class="code"><div class="code-head"><span>${escapeHtml(language || 'code')}</span><button type="button" class="copy" data-copy>Copy</button></div><pre><code>${escapeHtml(text)}</code></pre></div>`;
    },
  },
});

const purify = typeof window === 'undefined' ? undefined : createDOMPurify(window);
purify?.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const SANITIZE: Config = {
  ALLOWED_TAGS: ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div', 'span', 'button', 'input'],
  ALLOWED_ATTR: ['href', 'title', 'class', 'type', 'checked', 'disabled', 'data-copy', 'start', 'align', 'target', 'rel'],
  ALLOW_DATA_ATTR: false,
};

/** Text with nothing markdown would change: escaped and wrapped as is — most chat lines. */
const PLAIN = /^[^\\`*_[\]<>#|~&:@\n]*$/;
const BLOCK_START = /^\s*([-+>=]|\d+[.)]\s)/;

function isPlain(text: string): boolean {
  return PLAIN.test(text) && !BLOCK_START.test(text) && !/www\./i.test(text);
}

/** Sanitised HTML for a message's text (uncached: for text still being written). */
export function renderMarkdown(text: string): string {
  if (isPlain(text)) return `<p>${escapeHtml(text)}</p>`;
  const html = marked.parse(text, { async: false });
  if (!purify) throw new Error('markdown: DOMPurify needs a DOM');
  return purify.sanitize(html, SANITIZE);
}

const CACHE_SIZE = 2_000;
const cache = new Map<string, string>();

/** `renderMarkdown`, remembered: a stored message's HTML is made once, however often it scrolls by. */
export function renderMessage(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const html = renderMarkdown(text);
  cache.set(text, html);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return html;
}
