import { AI_RECIPES } from './ai/ai-recipes.ts';
import { CHAT_RECIPES } from './chat/chat-recipes.ts';
import { IDENTITY_RECIPES } from './identity/identity-recipes.ts';
import type { Recipe } from './store/recipes.ts';

/**
 * Every recipe the app's instances know. The Node archive and the browser store register the same
 * set: an object of a type the receiver lacks fails CHUM with INVALID_OBJECT (specs/chum.md §8).
 */
export const APP_RECIPES: readonly Recipe[] = [...IDENTITY_RECIPES, ...CHAT_RECIPES, ...AI_RECIPES];
