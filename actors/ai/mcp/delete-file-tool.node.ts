import { lstat, rmdir, unlink } from 'node:fs/promises';
import { z } from 'zod';
import type { LamaTool } from './lama-tool-server.ts';
import { McpError } from './mcp-error.ts';
import { locateEntry, resolveRoots } from './roots.node.ts';

const input = { path: z.string().describe('The file, symbolic link or empty folder to delete') };

/**
 * `delete_file`, which the filesystem server does not have (specs/mcp.md §3): deletes one file,
 * one symbolic link (never what it points to) or one empty folder inside the roots. Never a
 * folder with contents — one mistaken call must not be able to remove a tree — and never a root
 * itself. `roots` is read on every call, so a change of roots applies at once; the host gives it the
 * same folders it gives the filesystem server (`mcp.configure`).
 *
 * The path is checked by its real location (locateEntry) and the deletion made on the checked
 * path. Between the two another process could swap a folder for a link; none of the AI's tools
 * can create links, so only someone already able to write the folder could.
 */
export function deleteFileTool(roots: () => readonly string[]): LamaTool<typeof input> {
  return {
    name: 'delete_file',
    title: 'Delete File',
    description:
      'Delete one file, or one empty directory, inside the allowed directories. Directories with contents are refused: delete what is in them first. ' +
      'A symbolic link is deleted itself, never its target. Cannot be undone.',
    input,
    readOnly: false,
    destructive: true,
    async run({ path }) {
      // Resolved per call (a few syscalls, nothing next to a deletion): the roots are judged by
      // where they really are, exactly as the filesystem server was started with them.
      const allowed = await resolveRoots(roots());
      const entry = await locateEntry(path, allowed);
      if (allowed.includes(entry)) throw new McpError('OUTSIDE_ROOTS', `${path} is one of the allowed folders itself; it is not deleted`);
      const info = await lstat(entry);
      try {
        if (info.isDirectory()) await rmdir(entry);
        else await unlink(entry);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new McpError('TOOL_FAILED', `${path} is a folder that is not empty; delete what is in it first`);
        throw new McpError('TOOL_FAILED', `could not delete ${path}: ${(error as Error).message}`);
      }
      return `Deleted ${info.isDirectory() ? 'the empty folder' : info.isSymbolicLink() ? 'the symbolic link' : 'the file'} ${entry}`;
    },
  };
}
