/**
 * Resolves on a later turn of the event loop, after pending I/O: a long task made of steps whose
 * awaits resolve at once (SQLite reads are synchronous) would otherwise run as one chain of
 * microtasks and hold back every incoming message until it ends. Node's setImmediate runs after
 * the I/O of the current turn; browsers get a MessageChannel task (setTimeout clamps to 4 ms).
 */
export function nextTurn(): Promise<void> {
  if (typeof globalThis.setImmediate === 'function') return new Promise((resolve) => globalThis.setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
