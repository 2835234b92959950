/**
 * Which pages count as the app. For a renderer served by the Node host it is that exact origin
 * (`http://127.0.0.1:PORT`); for a file it is that one file, since every file:// page shares the
 * opaque origin `file://` and would otherwise all count as ours.
 */
import type { WebContents, WebFrameMain } from 'electron';

export function rendererOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid:';
  }
  if (parsed.protocol === 'file:') return `file://${parsed.pathname}`;
  // URL.origin is the string 'null' for opaque origins (data:, about:, blob: of those), never ours.
  return parsed.origin === 'null' ? 'opaque:' : parsed.origin;
}

export type SenderEvent = { sender: WebContents; senderFrame: WebFrameMain | null };

/** An IPC sender is ours only if it is our window's top frame showing our renderer. */
export function isAppSender(event: SenderEvent, window: { webContents: WebContents }, appOrigin: string): boolean {
  const frame = event.senderFrame;
  return (
    event.sender === window.webContents &&
    frame !== null &&
    frame.parent === null &&
    rendererOrigin(frame.url) === appOrigin
  );
}
