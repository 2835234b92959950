import type { StorageAdapter } from '../../store/storage-adapter.ts';
import { EMPTY_POLICY, parsePolicy, serializePolicy, type ApprovalPolicy } from './approval-policy.ts';

/**
 * Where the approval policy lives between runs (specs/mcp.md §6). The policy is this device's
 * (its roots are this device's folders), so it is a local secret of the store — never an object,
 * never synced to other devices — kept as versioned JSON.
 */
export interface ApprovalStore {
  /** The stored policy; EMPTY_POLICY when none was ever saved. Rejects with McpError BAD_POLICY for unreadable data, which it leaves untouched. */
  load(): Promise<ApprovalPolicy>;
  save(policy: ApprovalPolicy): Promise<void>;
}

/** The store's secret name for the policy. */
export const APPROVALS_SECRET = 'ai/mcp/approvals';

/** For tests and a session without a store; keeps JSON, so it parses exactly like the store does. */
export class MemoryApprovalStore implements ApprovalStore {
  #json: string | undefined;

  constructor(json?: string) {
    this.#json = json;
  }

  async load(): Promise<ApprovalPolicy> {
    return this.#json === undefined ? EMPTY_POLICY : parsePolicy(this.#json);
  }

  async save(policy: ApprovalPolicy): Promise<void> {
    this.#json = serializePolicy(policy);
  }
}

/** The policy as a secret in the store's adapter (SQLite in the Node archive). */
export class SecretApprovalStore implements ApprovalStore {
  readonly #adapter: Pick<StorageAdapter, 'getSecret' | 'write'>;

  constructor(adapter: Pick<StorageAdapter, 'getSecret' | 'write'>) {
    this.#adapter = adapter;
  }

  async load(): Promise<ApprovalPolicy> {
    const bytes = await this.#adapter.getSecret(APPROVALS_SECRET);
    if (bytes === undefined) return EMPTY_POLICY;
    return parsePolicy(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
  }

  async save(policy: ApprovalPolicy): Promise<void> {
    await this.#adapter.write({ secrets: [{ name: APPROVALS_SECRET, value: new TextEncoder().encode(serializePolicy(policy)) }] });
  }
}
