import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMcpError, type McpErrorCode } from './mcp-error.ts';
import { isWithin, locateEntry, resolveRoots } from './roots.node.ts';

// base/root (allowed), base/other (allowed), base/outside (not)
const base = realpathSync(mkdtempSync(join(tmpdir(), 'lama-roots-')));
const root = join(base, 'root');
const other = join(base, 'other');
const outside = join(base, 'outside');
for (const dir of [root, other, outside, join(root, 'sub')]) mkdirSync(dir, { recursive: true });
writeFileSync(join(root, 'a.txt'), 'a');
writeFileSync(join(other, 'b.txt'), 'b');
writeFileSync(join(outside, 'sentinel.txt'), 'sentinel');
symlinkSync(join(outside, 'sentinel.txt'), join(root, 'escape.txt'));
symlinkSync(outside, join(root, 'escape-dir'));
symlinkSync(join(outside, 'gone.txt'), join(root, 'dangling-out.txt'));
symlinkSync(join(root, 'a.txt'), join(root, 'alias.txt'));
symlinkSync(root, join(base, 'root-alias'));
const roots = [root, other];

afterAll(() => rmSync(base, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<{ code: McpErrorCode; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isMcpError(error)) throw new Error(`expected an McpError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('resolveRoots', () => {
  it('gives real paths, in order, once each', async () => {
    expect(await resolveRoots([join(base, 'root-alias'), other, root])).toEqual([root, other]);
  });

  it('names every chosen folder that is not an existing absolute folder', async () => {
    const { code, message } = await refusal(resolveRoots(['relative/dir', join(base, 'missing'), join(root, 'a.txt'), 'nul\0']));
    expect(code).toBe('BAD_ROOTS');
    expect(message).toContain('"relative/dir": not an absolute path');
    expect(message).toContain(`${join(base, 'missing')}: does not exist`);
    expect(message).toContain(`${join(root, 'a.txt')}: not a folder`);
    expect(message).toContain('not an absolute path');
  });

  it('refuses an empty choice', async () => {
    expect((await refusal(resolveRoots([]))).code).toBe('BAD_ROOTS');
  });
});

describe('isWithin', () => {
  it('is lexical and respects path boundaries', () => {
    expect(isWithin('/a/b', '/a')).toBe(true);
    expect(isWithin('/a', '/a')).toBe(true);
    expect(isWithin('/ab', '/a')).toBe(false);
    expect(isWithin('/', '/a')).toBe(false);
    expect(isWithin('/a/..b', '/a')).toBe(true); // a name starting with two dots is still inside
  });
});

describe('locateEntry', () => {
  it('finds files inside any root, by absolute or relative path', async () => {
    expect(await locateEntry(join(root, 'a.txt'), roots)).toBe(join(root, 'a.txt'));
    expect(await locateEntry('a.txt', roots)).toBe(join(root, 'a.txt'));
    expect(await locateEntry(join(other, 'b.txt'), roots)).toBe(join(other, 'b.txt'));
    expect(await locateEntry(join(root, 'sub', '..', 'a.txt'), roots)).toBe(join(root, 'a.txt'));
  });

  it('gives a link inside pointing inside as the link, not its target', async () => {
    expect(await locateEntry(join(root, 'alias.txt'), roots)).toBe(join(root, 'alias.txt'));
  });

  it.each([
    ['an absolute path outside', () => join(outside, 'sentinel.txt'), 'OUTSIDE_ROOTS', /outside the allowed folders; allowed:/],
    ['.. climbing out', () => join(root, '..', 'outside', 'sentinel.txt'), 'OUTSIDE_ROOTS', /outside the allowed folders/],
    ['relative .. climbing out', () => '../outside/sentinel.txt', 'OUTSIDE_ROOTS', /outside the allowed folders/],
    ['a folder link leading out', () => join(root, 'escape-dir', 'sentinel.txt'), 'OUTSIDE_ROOTS', /a folder on the way is a symbolic link leading out/],
    ['a file link leading out', () => join(root, 'escape.txt'), 'OUTSIDE_ROOTS', /it is a symbolic link to .*sentinel\.txt/],
    ['a dangling link leading out', () => join(root, 'dangling-out.txt'), 'OUTSIDE_ROOTS', /symbolic link to .*gone\.txt/],
    ['a root reached through an alias', () => join(base, 'root-alias', 'a.txt'), 'OUTSIDE_ROOTS', /outside the allowed folders/],
    ['a missing file', () => join(root, 'nope.txt'), 'TOOL_FAILED', /no such file or folder/],
    ['a missing folder', () => join(root, 'no', 'pe.txt'), 'TOOL_FAILED', /no such file or folder/],
    ['an empty path', () => '', 'BAD_ARGUMENTS', /non-empty string/],
    ['a NUL byte', () => `${root}/a.txt\0.png`, 'BAD_ARGUMENTS', /non-empty string/],
    ['a number', () => 42, 'BAD_ARGUMENTS', /non-empty string/],
  ])('refuses %s', async (_what, path, code, message) => {
    const error = await refusal(locateEntry(path(), roots));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});
