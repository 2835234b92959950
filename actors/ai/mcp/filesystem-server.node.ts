import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { toolError, type ToolResult } from './mcp-error.ts';
import { stdioProcessActor } from './stdio-process.node.ts';
import type { Preflight, ServerProfile, ToolRegistry } from './tool-registry.ts';
import { toToolResult } from './tool-result.ts';

/**
 * The real `@modelcontextprotocol/server-filesystem` (pinned in package.json) as one of the AI's
 * tool servers (specs/mcp.md §2–5): started from node_modules with this Node (never `npx`),
 * confined to the roots given on its command line, and presented to the model through a profile.
 */

export const FILESYSTEM_SERVER_ID = 'filesystem';

/** read_file refuses whole files larger than this; head/tail still read parts of them. */
export const MAX_READ_BYTES = 1_048_576;

/**
 * Server tool → the name the model sees. Only these are offered: `read_text_file` is the model's
 * `read_file` (the server's own `read_file` is its deprecated alias); `read_media_file` returns
 * base64 that no model here can use; `read_multiple_files` would bypass read_file's size check;
 * `list_directory_with_sizes` and `directory_tree` repeat list_directory at a higher token cost.
 * Small local models choose better among fewer tools.
 */
export const FILESYSTEM_TOOLS: Readonly<Record<string, string>> = {
  read_text_file: 'read_file',
  write_file: 'write_file',
  edit_file: 'edit_file',
  list_directory: 'list_directory',
  create_directory: 'create_directory',
  move_file: 'move_file',
  search_files: 'search_files',
  get_file_info: 'get_file_info',
  list_allowed_directories: 'list_allowed_directories',
};

/** The server's entry script, resolved from node_modules like any dependency. */
export function filesystemServerEntry(): string {
  const manifest = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin['mcp-server-filesystem']!);
}

export function filesystemProfile(maxReadBytes = MAX_READ_BYTES): ServerProfile {
  return {
    expose: FILESYSTEM_TOOLS,
    describe: {
      read_text_file: `Files over ${maxReadBytes.toLocaleString('en')} bytes can only be read in part, with head or tail.`,
    },
    preflight: readSizeCheck(maxReadBytes),
  };
}

/**
 * Before read_file reads a whole file, ask the server (so its confinement applies) what the path
 * is: a folder or a special file is refused with a clear error, and so is a file too large to
 * read whole — the server would otherwise load all of it into memory and send it over the pipe.
 */
function readSizeCheck(maxReadBytes: number): Preflight {
  return async ({ serverTool, name, args, connection, signal, timeoutMs }): Promise<ToolResult | undefined> => {
    if (serverTool !== 'read_text_file' || typeof args.path !== 'string' || args.head !== undefined || args.tail !== undefined) return undefined;
    const raw = await connection.callTool({ name: 'get_file_info', arguments: { path: args.path } }, undefined, { signal, timeout: timeoutMs });
    const info = toToolResult(name, raw as Parameters<typeof toToolResult>[1]);
    if (info.isError) return info; // outside the roots, no such file: the server's own words
    const field = (key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(info.content)?.[1];
    if (field('isDirectory') === 'true') return toolError('TOOL_FAILED', `${name}: ${args.path} is a folder; use list_directory`);
    if (field('isFile') === 'false') return toolError('TOOL_FAILED', `${name}: ${args.path} is not a regular file`);
    const size = Number(field('size'));
    if (size > maxReadBytes) {
      return toolError(
        'TOO_LARGE',
        `${name}: ${args.path} has ${size.toLocaleString('en')} bytes, and whole files are read only up to ${maxReadBytes.toLocaleString('en')} bytes; ` +
          'read part of it with head or tail (a number of lines)',
      );
    }
    return undefined;
  };
}

/** The mcp-server machine's `process` actor for the filesystem server. */
export function filesystemProcessActor(registry: ToolRegistry, options: { maxReadBytes?: number } = {}) {
  const entry = filesystemServerEntry();
  return stdioProcessActor(registry, {
    command: (roots) => ({
      command: process.execPath,
      args: [entry, ...roots],
      // Under Electron, execPath is the Electron binary: this makes it run the script as plain Node.
      env: { ...getDefaultEnvironment(), ELECTRON_RUN_AS_NODE: '1' },
    }),
    profile: filesystemProfile(options.maxReadBytes),
  });
}
