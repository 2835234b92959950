import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where LAMA keeps its data when `--data` is not given, by each OS's convention:
 * Linux `$XDG_DATA_HOME/lama` (default `~/.local/share/lama`), macOS
 * `~/Library/Application Support/LAMA`, Windows `%APPDATA%\LAMA`.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'LAMA');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'LAMA');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'lama');
}
