/**
 * How MCP tools fail (specs/mcp.md §7). Two shapes, on purpose:
 *
 * - A tool call the model made never throws: it ends in a ToolResult with `isError: true`, a
 *   message the model can act on, and a stable `code` for the UI and tests. The model caused it
 *   (a bad path, a huge file) or the world did (a crashed server), and either way the
 *   conversation goes on.
 * - Wrong configuration from LAMA itself (roots that do not exist, a bad server id, an unreadable
 *   stored policy) throws McpError with the same kind of code, for the host to report.
 */
export type McpErrorCode =
  | 'UNKNOWN_TOOL' // no connected server offers a tool of that name
  | 'BAD_ARGUMENTS' // the call's arguments are not a JSON object
  | 'APPROVAL_REQUIRED' // a tool that needs the user's approval was executed without one
  | 'DENIED' // the user declined this call
  | 'BLOCKED' // the approval policy blocks this tool
  | 'SERVER_UNAVAILABLE' // the server offering the tool is not running (starting, restarting, stopped)
  | 'SERVER_CRASHED' // the server went away while the call was in flight
  | 'TIMEOUT' // no answer within the call timeout
  | 'CANCELLED' // the caller aborted the call
  | 'TOO_LARGE' // a file too large to read whole
  | 'BINARY' // binary content, which is never passed to a model
  | 'OUTSIDE_ROOTS' // a path outside the roots the user chose (ours; the filesystem server says so in TOOL_FAILED)
  | 'TOOL_FAILED' // the tool ran and reported an error (its message is passed on)
  | 'BAD_ROOTS' // configured roots that are not existing directories
  | 'BAD_SERVER' // a server id or tool registration LAMA refuses
  | 'BAD_POLICY'; // a stored approval policy that does not parse, or is from a newer version

export class McpError extends Error {
  override readonly name = 'McpError';
  constructor(
    readonly code: McpErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isMcpError(error: unknown, code?: McpErrorCode): error is McpError {
  return error instanceof McpError && (code === undefined || error.code === code);
}

/** What a tool call gives back to the model: always text; `code` says why when it failed. */
export interface ToolResult {
  readonly content: string;
  readonly isError: boolean;
  readonly code?: McpErrorCode;
}

/** The `_meta` key on a tool result that carries an McpError's code from LAMA's own server to the registry. */
export const ERROR_CODE_META = 'lama/errorCode';

const CODES: ReadonlySet<string> = new Set<McpErrorCode>([
  'UNKNOWN_TOOL', 'BAD_ARGUMENTS', 'APPROVAL_REQUIRED', 'DENIED', 'BLOCKED', 'SERVER_UNAVAILABLE', 'SERVER_CRASHED', 'TIMEOUT',
  'CANCELLED', 'TOO_LARGE', 'BINARY', 'OUTSIDE_ROOTS', 'TOOL_FAILED', 'BAD_ROOTS', 'BAD_SERVER', 'BAD_POLICY',
]);

export function isMcpErrorCode(value: unknown): value is McpErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

export function toolError(code: McpErrorCode, content: string): ToolResult {
  return { content, isError: true, code };
}
