import type { BrowserInstance } from '../../actors/browser/browser-instance.dom.ts';

/**
 * The page global `lamaBrowser` (hosts/browser/main.dom.ts): the browser instance, which
 * end-to-end tests and browser benchmarks drive from `page.evaluate`.
 */
declare global {
  var lamaBrowser: BrowserInstance;
}
