import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { McpError } from './mcp-error.ts';

/**
 * The folders the user lets the AI's file tools reach (specs/mcp.md §2), and the confinement our
 * own file tools apply with them. The filesystem server gets the same list and confines itself
 * the same way: a path counts by where it really is (symbolic links resolved), not by how it is
 * spelled.
 */

/**
 * The chosen folders as real paths, in order, without duplicates. Every one must be an absolute
 * path to an existing folder; otherwise BAD_ROOTS names each that is not.
 */
export async function resolveRoots(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) throw new McpError('BAD_ROOTS', 'no folders were chosen for the AI file tools');
  const problems: string[] = [];
  const roots: string[] = [];
  for (const path of paths) {
    if (typeof path !== 'string' || !isAbsolute(path) || path.includes('\0')) {
      problems.push(`${JSON.stringify(path)}: not an absolute path`);
      continue;
    }
    try {
      const real = await realpath(path);
      if (!(await stat(real)).isDirectory()) problems.push(`${path}: not a folder`);
      else if (!roots.includes(real)) roots.push(real);
    } catch (error) {
      problems.push(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new McpError('BAD_ROOTS', `folders for the AI file tools: ${problems.join('; ')}`);
  return roots;
}

/** `path` is `root` or lies below it (both absolute and normalised). */
export function isWithin(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The entry `requested` names, as a path whose every folder is real and inside a root; the entry
 * itself is not followed, so for a symbolic link this is the link. Refuses (OUTSIDE_ROOTS) a path
 * outside the roots, `..` that climbs out, a folder on the way that is a link leading out, and a
 * link whose target lies outside — before anything outside is even looked at.
 *
 * Relative paths are taken from the roots as the filesystem server takes them: from the first root
 * they stay inside of.
 */
export async function locateEntry(requested: unknown, roots: readonly string[]): Promise<string> {
  if (typeof requested !== 'string' || requested.length === 0 || requested.includes('\0')) {
    throw new McpError('BAD_ARGUMENTS', 'path must be a non-empty string');
  }
  const absolute = isAbsolute(requested) ? resolve(requested) : (roots.map((root) => resolve(root, requested)).find((p) => inside(p, roots)) ?? resolve(roots[0]!, requested));
  if (!inside(absolute, roots)) throw outside(absolute, roots);
  if (roots.includes(absolute)) return absolute; // a root itself: real already, and its parent is outside by design
  let folder: string;
  try {
    folder = await realpath(dirname(absolute));
  } catch (error) {
    throw notFound(absolute, error);
  }
  if (!inside(folder, roots)) throw outside(absolute, roots, 'a folder on the way is a symbolic link leading out');
  const entry = join(folder, basename(absolute));
  let info;
  try {
    info = await lstat(entry);
  } catch (error) {
    throw notFound(absolute, error);
  }
  if (info.isSymbolicLink()) {
    const target = resolve(folder, await readlink(entry));
    const real = await realpath(target).catch(() => target); // a dangling link: judge where it points
    if (!inside(real, roots)) throw outside(absolute, roots, `it is a symbolic link to ${real}`);
  }
  return entry;
}

function inside(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => isWithin(path, root));
}

function outside(path: string, roots: readonly string[], detail?: string): McpError {
  const why = detail ? ` (${detail})` : '';
  return new McpError('OUTSIDE_ROOTS', `access denied — ${path} is outside the allowed folders${why}; allowed: ${roots.join(', ')}`);
}

function notFound(path: string, error: unknown): McpError {
  const code = (error as NodeJS.ErrnoException).code;
  return new McpError('TOOL_FAILED', code === 'ENOENT' || code === 'ENOTDIR' ? `no such file or folder: ${path}` : `${path}: ${(error as Error).message}`);
}
