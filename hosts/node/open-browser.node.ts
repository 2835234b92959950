import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where a Chromium-family browser usually lives; CHROMIUM_PATH wins. */
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return [env.CHROMIUM_PATH, ...CANDIDATES].find((path): path is string => !!path && existsSync(path));
}

/**
 * Opens the UI as an app window (no tabs, no address bar) with its own profile in the data folder,
 * so the browser instance's IndexedDB belongs to LAMA and survives restarts.
 */
export function openAppWindow(executable: string, url: string, profileDir: string): ChildProcess {
  const args = [
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Chromium refuses to run as root with its sandbox on; root is the norm in containers.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ];
  const child = spawn(executable, args, { stdio: 'ignore', detached: true });
  child.unref();
  return child;
}
