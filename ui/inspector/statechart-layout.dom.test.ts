import { describe, expect, it } from 'vitest';
import { describeMachine } from '../../actors/inspection/machine-definition.ts';
import { appMachine } from '../../machines/app.ts';
import * as chart from './statechart-layout.ts';

const app = describeMachine(appMachine)!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The longest the page's main thread was busy (a timer late) while `work` ran. */
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 4);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe('laying out in Chromium', () => {
  it('runs ELK in a Web Worker, leaving the page free while it lays out the app machine', async () => {
    let n = 0;
    const layout = () => chart.layoutStatechart(`bench:${n++}`, app);
    const coldStart = performance.now();
    await layout();
    const cold = performance.now() - coldStart;
    expect(performance.getEntriesByType('resource').some((entry) => entry.name.includes('elk-worker'))).toBe(true);

    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await layout();
      warm.push(performance.now() - start);
    }
    const blocked = await longestBlock(layout);

    // The same layout on this thread, for comparison: what the page would freeze for.
    const importStart = performance.now();
    const ELK = chart.elkConstructor(await import('elkjs/lib/elk.bundled.js'));
    const imported = performance.now() - importStart;
    const elk = new ELK();
    const main: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await elk.layout(chart.toElkGraph(app));
      main.push(performance.now() - start);
    }
    const mainBlocked = await longestBlock(() => elk.layout(chart.toElkGraph(app)));
    console.info(
      `app machine layout — worker: first ${cold.toFixed(0)} ms (worker start included), then median ${median(warm).toFixed(0)} ms, main thread blocked ≤ ${blocked.toFixed(0)} ms; ` +
        `main thread: load ${imported.toFixed(0)} ms, first ${main[0]!.toFixed(0)} ms, then median ${median(main.slice(1)).toFixed(0)} ms, blocked ${mainBlocked.toFixed(0)} ms`,
    );
    expect(blocked).toBeLessThan(mainBlocked);
  }, 120_000);
});
