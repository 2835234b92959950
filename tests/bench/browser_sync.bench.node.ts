import { startBrowserBench, syncTopicIntoBrowser } from './browser-kit.node.ts';

/**
 * `browser_sync` (issue 5): the browser instance's initial sync of a 10,000-message topic from the
 * Node host — structure, then every body — against raw IndexedDB puts of the same objects (1,000
 * per transaction) in the same page, same run. Goal: `browser_sync_ratio_vs_idb` ≥ 0.6.
 */
export default async function browserSync(): Promise<Record<string, number>> {
  const bench = await startBrowserBench();
  try {
    const f = await syncTopicIntoBrowser(bench, 10_000);
    const syncPerS = f.objects / (f.totalMs / 1000);
    const idbPerS = f.objects / (f.rawIdbMs / 1000);
    return {
      messages: f.messages,
      objects: f.objects,
      structure_ms: f.structureMs,
      bodies_ms: f.bodiesMs,
      browser_sync_ms: f.totalMs,
      browser_sync_obj_per_s: syncPerS,
      raw_idb_obj_per_s: idbPerS,
      browser_sync_ratio_vs_idb: syncPerS / idbPerS,
    };
  } finally {
    await bench.dispose();
  }
}
