import type { StoredMessage } from '../chat/message-order.ts';
import type { ChatTurn } from './llm-provider.ts';
import type { ToolStep } from '../../machines/ai-listener.ts';
import { toolBlock } from './prompt-tools.ts';

/**
 * What the model is asked (specs/ai.md §4): the system prompt, then as much of the topic's history
 * as fits the model's context window (newest kept, oldest dropped, never half a message), then the
 * tool rounds of the answer in progress. Tokens are estimated at 4 characters each, plus a few per
 * turn — a deliberately cautious estimate, since a provider that runs out of window fails or
 * silently truncates the start.
 */
export interface ConversationRequest {
  readonly messages: readonly StoredMessage[];
  readonly aiPerson: string;
  /** Display names by Person id, to tell several humans (and other AIs) apart in a group. */
  readonly names: ReadonlyMap<string, string>;
  readonly systemPrompt: string;
  readonly contextLength: number;
  /** Room kept for the answer. */
  readonly maxTokens: number;
  readonly steps: readonly ToolStep[];
  /** Whether the topic has more than one other participant (then turns are prefixed with names). */
  readonly group: boolean;
  /**
   * Whether the provider calls tools natively (default). Otherwise the tool rounds are written as
   * the model wrote them (fenced blocks, specs/ai.md §6) and their results as user turns.
   */
  readonly nativeTools?: boolean;
}

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4) + 4;

export function buildConversation(request: ConversationRequest): ChatTurn[] {
  const system: ChatTurn = { role: 'system', content: request.systemPrompt };
  const toolTurns: ChatTurn[] =
    request.nativeTools === false
      ? request.steps.flatMap((step) => [
          { role: 'assistant' as const, content: [step.text, ...step.calls.map((call) => toolBlock(call))].filter((t) => t !== '').join('\n') },
          ...step.results.map((r) => {
            const name = step.calls.find((c) => c.id === r.callId)?.name ?? 'the tool';
            return { role: 'user' as const, content: `${r.isError ? `${name} failed` : `Result of ${name}`}:\n${r.content}` };
          }),
        ])
      : request.steps.flatMap((step) => [
          { role: 'assistant' as const, content: step.text, toolCalls: step.calls },
          ...step.results.map((r) => ({ role: 'tool' as const, content: r.content, toolCallId: r.callId, isError: r.isError })),
        ]);
  let budget = request.contextLength - request.maxTokens - estimateTokens(system.content) - toolTurns.reduce((n, t) => n + estimateTokens(t.content) + 16 * (t.toolCalls?.length ?? 0), 0);
  const history: ChatTurn[] = [];
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const { message } = request.messages[i]!;
    if (message.kind === 'system') continue; // the app's own notes (errors) are for people, not the model
    const mine = message.author === request.aiPerson;
    const content = mine || !request.group ? message.text : `${request.names.get(message.author) ?? 'Someone'}: ${message.text}`;
    const cost = estimateTokens(content);
    if (cost > budget) break;
    budget -= cost;
    history.unshift({ role: mine ? 'assistant' : 'user', content });
  }
  // A conversation starts with the user: drop leading answers whose question fell out of the window.
  while (history[0]?.role === 'assistant') history.shift();
  return [system, ...history, ...toolTurns];
}

export function defaultSystemPrompt(aiName: string, userName: string): string {
  return `You are ${aiName}, an AI assistant in LAMA, a private chat app. You are talking with ${userName}. Answer helpfully and concisely. When tools are offered, use them only when they help answer the question.`;
}
