import type { SHA256Hash } from '../store/hash.ts';
import type { Recipe } from '../store/recipes.ts';

/**
 * An AI contact is a Person like any other, plus this: which model answers as that Person
 * (specs/ai.md §1). Versioned by the Person, so changing the model's settings is a new version,
 * and synced, so the browser knows which of its contacts are AIs.
 */
export const LlmRecipe: Recipe = {
  name: 'LLM',
  fields: {
    person: { type: { kind: 'idref' }, identity: true },
    /** The user whose instance runs the model (and holds the AI Person's keys). */
    owner: { type: { kind: 'idref' } },
    name: { type: { kind: 'string' } },
    provider: { type: { kind: 'string' } },
    providerKind: { type: { kind: 'string' } },
    modelId: { type: { kind: 'string' } },
    capabilities: { type: { kind: 'list', item: { kind: 'string' } } },
    contextLength: { type: { kind: 'integer' } },
    maxTokens: { type: { kind: 'integer' } },
    temperature: { type: { kind: 'number' } },
    endpoint: { type: { kind: 'string' }, optional: true },
    systemPrompt: { type: { kind: 'string' }, optional: true },
  },
};

export const AI_RECIPES: readonly Recipe[] = [LlmRecipe];

export interface Llm {
  readonly $type$: 'LLM';
  readonly person: SHA256Hash;
  readonly owner: SHA256Hash;
  readonly name: string;
  readonly provider: string;
  readonly providerKind: string;
  readonly modelId: string;
  readonly capabilities: readonly string[];
  readonly contextLength: number;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly endpoint?: string;
  readonly systemPrompt?: string;
}
