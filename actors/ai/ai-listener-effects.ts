import { fromCallback, fromPromise } from 'xstate';
import type { Chat } from '../chat/chat.ts';
import type { Person } from '../identity/identity-recipes.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { AiListenerEvent, GenerateInput, RunToolsInput, StoreAnswerInput, ToolStep, aiListenerMachine } from '../../machines/ai-listener.ts';
import type { AiContacts } from './ai-contacts.ts';
import type { Llm } from './ai-recipes.ts';
import { buildConversation, defaultSystemPrompt } from './conversation.ts';
import { PromptToolParser, toolPrompt } from './prompt-tools.ts';
import { isLlmError, type CompletionChunk, type CompletionRequest, type ToolCall, type ToolSpec } from './llm-provider.ts';

/**
 * The AI listener's effects (machines/ai-listener.ts): asking the model, running tools, writing the
 * answer. Tokens are gathered and handed to the machine at most once per `flushMs`, so a provider
 * that streams thousands of tokens a second costs the statechart (and the UI behind it) a few
 * dozen events a second.
 */
export interface ListenerTools {
  tools(): ToolSpec[];
  needsApproval(call: ToolCall): { decision: 'run' | 'ask' | 'refuse'; title: string; reason: string; destructive: boolean };
  execute(call: ToolCall, signal?: AbortSignal): Promise<{ content: string; isError: boolean }>;
  remember(decision: { call: ToolCall; choice: 'allowOnce' | 'alwaysAllow' | 'deny' }): Promise<void>;
}

export interface AiListenerDeps {
  readonly store: ObjectStore;
  readonly chat: Chat;
  readonly contacts: AiContacts;
  /** LLMManager.complete: a model reference (`provider/model`) and a request. */
  readonly complete: (modelRef: string, request: Omit<CompletionRequest, 'model'>) => AsyncIterable<CompletionChunk>;
  readonly tools?: ListenerTools;
  /** How many of the topic's newest messages are read to build the context. */
  readonly historyLimit?: number;
  readonly flushMs?: number;
}

export const modelRefOf = (llm: Llm): string => `${llm.provider}/${llm.modelId}`;

export function aiListenerEffects(deps: AiListenerDeps): Parameters<typeof aiListenerMachine.provide>[0]['actors'] {
  const nameOf = async (personId: SHA256Hash): Promise<string> => (await deps.store.getLatest<Person>(personId).catch(() => undefined))?.object.name ?? 'Someone';

  return {
    generate: fromCallback<AiListenerEvent, GenerateInput>(({ input, sendBack }) => {
      const abort = new AbortController();
      let buffered = '';
      let timer: ReturnType<typeof setTimeout> | undefined;
      const flush = () => {
        timer = undefined;
        if (buffered === '' || abort.signal.aborted) return;
        sendBack({ type: 'llm.text', text: buffered });
        buffered = '';
      };
      void (async () => {
        const topicId = input.topic as SHA256Hash;
        const aiPerson = input.aiPerson as SHA256Hash;
        const llm = await deps.contacts.llmOf(aiPerson);
        if (!llm) throw Object.assign(new Error(`${aiPerson} is not an AI contact this instance knows`), { code: 'MODEL_MISSING' });
        const topic = await deps.chat.topic(topicId);
        const messages = await deps.chat.messages(topicId, { limit: deps.historyLimit ?? 200 });
        const names = new Map<string, string>();
        for (const p of topic.participants) names.set(p, await nameOf(p));
        const humans = topic.participants.filter((p) => p !== aiPerson);
        const offered = input.toolsAllowed && deps.tools ? deps.tools.tools() : [];
        // Native tool calling where the model has it; otherwise the tools are described in the prompt.
        const native = llm.capabilities.includes('tools');
        const inPrompt = !native && offered.length > 0;
        const systemPrompt = llm.systemPrompt ?? defaultSystemPrompt(llm.name, humans.map((p) => names.get(p)).join(', '));
        const messagesForModel = buildConversation({
          messages,
          aiPerson,
          names,
          systemPrompt: inPrompt ? `${systemPrompt}\n\n${toolPrompt(offered)}` : systemPrompt,
          contextLength: llm.contextLength,
          maxTokens: llm.maxTokens,
          steps: input.steps,
          group: humans.length > 1,
          nativeTools: !inPrompt,
        });
        const parser = inPrompt ? new PromptToolParser(new Set(offered.map((t) => t.name))) : undefined;
        const calls: ToolCall[] = [];
        const take = (text: string) => {
          if (text === '') return;
          buffered += text;
          timer ??= setTimeout(flush, deps.flushMs ?? 16);
        };
        for await (const chunk of deps.complete(modelRefOf(llm), {
          messages: messagesForModel,
          ...(native && offered.length > 0 ? { tools: offered } : {}),
          maxTokens: llm.maxTokens,
          temperature: llm.temperature,
          signal: abort.signal,
        })) {
          if (abort.signal.aborted) return;
          if (chunk.type === 'text') {
            if (!parser) take(chunk.text);
            else {
              const parsed = parser.push(chunk.text);
              take(parsed.text);
              calls.push(...parsed.calls);
            }
          } else if (chunk.type === 'toolCall') calls.push(chunk.call);
        }
        if (parser) take(parser.end().text);
        if (timer) clearTimeout(timer);
        flush();
        if (!abort.signal.aborted) sendBack({ type: 'llm.done', toolCalls: calls });
      })().catch((error: unknown) => {
        if (timer) clearTimeout(timer);
        if (abort.signal.aborted) return;
        flush();
        const code = isLlmError(error) ? error.code : typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'PROVIDER';
        sendBack({ type: 'llm.failed', code, message: error instanceof Error ? error.message : String(error) });
      });
      return () => {
        abort.abort();
        if (timer) clearTimeout(timer);
      };
    }),

    runTools: fromCallback<AiListenerEvent, RunToolsInput>(({ input, sendBack }) => {
      const abort = new AbortController();
      void (async () => {
        const results: ToolStep['results'][number][] = [];
        const done = new Set(input.done.map((r) => r.callId));
        for (const call of input.calls) {
          if (done.has(call.id)) continue;
          if (!deps.tools) {
            results.push({ callId: call.id, content: `there are no tools here; ${call.name} was not run`, isError: true });
            continue;
          }
          const need = deps.tools.needsApproval(call);
          if (need.decision === 'ask' && !input.answered.includes(call.id)) {
            sendBack({ type: 'tools.needApproval', approval: { call, title: need.title, reason: need.reason, destructive: need.destructive }, results });
            return;
          }
          // Refused calls go through execute too: it words the refusal for the model.
          const result = await deps.tools.execute(call, abort.signal);
          if (abort.signal.aborted) return;
          results.push({ callId: call.id, content: result.content, isError: result.isError });
        }
        sendBack({ type: 'tools.done', results });
      })().catch((error: unknown) => {
        if (!abort.signal.aborted) sendBack({ type: 'llm.failed', code: 'TOOL', message: error instanceof Error ? error.message : String(error) });
      });
      return () => abort.abort();
    }),

    rememberDecision: fromPromise(async ({ input }) => {
      await deps.tools?.remember({ call: input.call, choice: input.choice });
    }),

    storeAnswer: fromPromise(async ({ input }: { input: StoreAnswerInput }) => {
      const topic = input.topic as SHA256Hash;
      const personId = input.aiPerson as SHA256Hash;
      const keys = await deps.contacts.keysOf(personId);
      if (!keys) throw new Error(`this instance holds no keys for the AI ${personId}`);
      let hash: string | undefined;
      if (input.text.trim() !== '') hash = (await deps.chat.send(topic, input.text, { as: { personId, keys }, ...(input.incomplete ? { incomplete: true } : {}) })).hash;
      if (input.error) {
        await deps.chat.send(topic, describeFailure(input.error), { as: { personId, keys }, kind: 'system' });
      }
      return hash;
    }),
  };
}

/** A provider failure in words for the topic (the listener's error state has the code). */
export function describeFailure(error: { code: string; message: string }): string {
  switch (error.code) {
    case 'UNREACHABLE':
      return `The model could not be reached: ${error.message}`;
    case 'UNAUTHORIZED':
      return `The provider refused the API key: ${error.message}`;
    case 'RATE_LIMITED':
      return `The provider is rate limiting requests: ${error.message}`;
    case 'MODEL_MISSING':
      return `The model is not available: ${error.message}`;
    case 'TIMEOUT':
      return `The model took too long to answer: ${error.message}`;
    case 'MALFORMED_STREAM':
      return `The provider sent an answer that could not be read: ${error.message}`;
    case 'NOT_DOWNLOADED':
      return `The local model is not downloaded yet: ${error.message}`;
    default:
      return `The answer failed: ${error.message}`;
  }
}
