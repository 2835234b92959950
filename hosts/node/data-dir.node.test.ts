import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './data-dir.node.ts';

describe('default data folder', () => {
  it('follows XDG on Linux', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data' }, 'linux', '/home/ada')).toBe('/x/data/lama');
    expect(defaultDataDir({}, 'linux', '/home/ada')).toBe('/home/ada/.local/share/lama');
  });
  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/LAMA');
    expect(defaultDataDir({ APPDATA: '/c/Users/ada/AppData/Roaming' }, 'win32', '/c/Users/ada')).toBe('/c/Users/ada/AppData/Roaming/LAMA');
  });
});
