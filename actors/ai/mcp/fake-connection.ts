import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpConnection } from './tool-registry.ts';

/** A connected MCP server for tests: scripted answers, every call recorded. */
export class FakeConnection implements McpConnection {
  readonly calls: { name: string; arguments: Record<string, unknown>; timeout?: number }[] = [];
  answer: (name: string, args: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown> = async (name) => ({ content: [{ type: 'text', text: `ran ${name}` }] });

  async callTool(params: { name: string; arguments: Record<string, unknown> }, _schema?: undefined, options?: { signal?: AbortSignal; timeout?: number }): Promise<unknown> {
    this.calls.push({ ...params, timeout: options?.timeout });
    return this.answer(params.name, params.arguments, options?.signal);
  }
}

/** A tool as a server lists it. */
export function fakeTool(name: string, extra: Partial<Tool> = {}): Tool {
  return {
    name,
    description: `does ${name}`,
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, $schema: 'http://json-schema.org/draft-07/schema#' } as Tool['inputSchema'],
    ...extra,
  };
}
