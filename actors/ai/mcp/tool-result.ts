import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ERROR_CODE_META, isMcpErrorCode, toolError, type ToolResult } from './mcp-error.ts';

/**
 * What an MCP tool answered, made fit for a model's context (specs/mcp.md §5): text only, never
 * binary (a model gains nothing from base64 of a PNG and it costs thousands of tokens), and cut
 * at a limit with a note that says so, so the model knows it saw part and how to ask for less.
 */

/** A result longer than this many characters is cut (the note is added on top). */
export const MAX_RESULT_CHARS = 32_768;

/** How much of the start of a text is examined for signs of binary content. */
const SNIFF_CHARS = 8_192;

/**
 * Binary read as UTF-8 (what the filesystem server's read_text_file does) shows as NUL characters
 * and U+FFFD replacement characters. Any NUL, or a replacement character in more than one of
 * eight examined characters, is binary; a legacy-encoded text file with a few non-UTF-8 accents
 * stays text.
 */
export function looksBinary(text: string): boolean {
  const sample = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  if (sample.includes('\u0000')) return true;
  let replacements = 0;
  for (let i = 0; i < sample.length; i++) if (sample.charCodeAt(i) === 0xfffd) replacements++;
  return replacements * 8 > sample.length;
}

/** Cuts `text` to `max` characters (never inside a surrogate pair) and says so at the end. */
export function truncateResult(text: string, max = MAX_RESULT_CHARS): string {
  if (text.length <= max) return text;
  let cut = max;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // a high surrogate whose pair would be cut off
  return (
    `${text.slice(0, cut)}\n\n[LAMA cut this result: it has ${text.length.toLocaleString('en')} characters and tool results ` +
    `are limited to ${max.toLocaleString('en')}. Ask for less: a narrower path or pattern, or head/tail lines.]`
  );
}

/**
 * One MCP CallToolResult as a ToolResult: text blocks (and embedded text resources) joined by
 * newlines; structured content as JSON when there is no text; binary blocks refused.
 */
export function toToolResult(tool: string, result: CallToolResult, maxChars = MAX_RESULT_CHARS): ToolResult {
  const parts: string[] = [];
  for (const block of result.content ?? []) {
    switch (block.type) {
      case 'text':
        parts.push(block.text);
        break;
      case 'resource':
        if ('text' in block.resource && typeof block.resource.text === 'string') parts.push(block.resource.text);
        else return binaryRefusal(tool, block.resource.mimeType);
        break;
      case 'resource_link':
        parts.push(`[resource ${block.uri}]`);
        break;
      case 'image':
      case 'audio':
        return binaryRefusal(tool, block.mimeType);
      default:
        return toolError('BINARY', `${tool}: the tool answered with content LAMA cannot pass to a model (${(block as { type: string }).type})`);
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  const text = parts.join('\n');
  if (result.isError === true) {
    const code = result._meta?.[ERROR_CODE_META];
    return toolError(isMcpErrorCode(code) ? code : 'TOOL_FAILED', truncateResult(`${tool}: ${text || 'the tool failed without saying why'}`, maxChars));
  }
  if (looksBinary(text)) return binaryRefusal(tool, undefined);
  return { content: truncateResult(text, maxChars), isError: false };
}

function binaryRefusal(tool: string, mimeType: string | undefined): ToolResult {
  const what = mimeType ? `binary content (${mimeType})` : 'binary content, not text';
  return toolError('BINARY', `${tool}: the file or result is ${what}; LAMA passes only text to the model`);
}
