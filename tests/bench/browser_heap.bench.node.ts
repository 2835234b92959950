import { startBrowserBench, syncTopicIntoBrowser } from './browser-kit.node.ts';

/**
 * `browser_heap` (issue 5): the browser tab's JS heap (after a full GC) once a 10,000-message topic
 * is synced and scrolled through, against the same tab before the sync. Goal: `browser_heap_mb` < 60.
 */
export default async function browserHeap(): Promise<Record<string, number>> {
  const bench = await startBrowserBench();
  try {
    const f = await syncTopicIntoBrowser(bench, 10_000);
    const mb = (bytes: number) => bytes / 2 ** 20;
    return {
      messages: f.messages,
      browser_heap_before_mb: mb(f.heapBeforeBytes),
      browser_heap_mb: mb(f.heapAfterBytes),
      browser_heap_growth_mb: mb(f.heapAfterBytes - f.heapBeforeBytes),
    };
  } finally {
    await bench.dispose();
  }
}
