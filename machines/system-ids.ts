/**
 * The one table of systemIds (STYLE.md §1.5): actors find each other with
 * `system.get(SYSTEM_ID.x)` and talk by events, never by shared objects.
 */
export const SYSTEM_ID = {
  app: 'app',
  provisioning: 'provisioning',
  workerPool: 'workerPool',
  federation: 'federation',
  iom: 'iom',
  ai: 'ai',
} as const;

export type SystemId = (typeof SYSTEM_ID)[keyof typeof SYSTEM_ID];
