import type { ChatTurn } from '../llm-provider.ts';
import type { LlmTurn } from '../../workers/ops.ts';

/**
 * The conversation as the LLM worker takes it. The embedded model is offered no tools
 * (capabilities.tools is false), but a conversation may have had tool calls from another provider
 * earlier: those stay readable as plain text, so the model still follows what happened.
 */
export function workerTurns(turns: readonly ChatTurn[]): LlmTurn[] {
  return turns.map((turn): LlmTurn => {
    switch (turn.role) {
      case 'tool':
        return { role: 'user', content: `[result of tool call ${turn.toolCallId ?? '?'}${turn.isError ? ', failed' : ''}]\n${turn.content}` };
      case 'assistant': {
        const calls = (turn.toolCalls ?? []).map((call) => `[called tool ${call.name} (${call.id}) with ${JSON.stringify(call.arguments)}]`);
        return { role: 'assistant', content: [turn.content, ...calls].filter((part) => part !== '').join('\n') };
      }
      default:
        return { role: turn.role, content: turn.content };
    }
  });
}
