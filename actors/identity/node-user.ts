import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { createIdentity, hasIdentity, openIdentity, type Identity } from './identity.ts';
import type { Person } from './identity-recipes.ts';

/**
 * The effects behind the provisioning statechart for one store's user: check, create, unlock.
 * The unlocked Identity (its secret keys) stays here, with the host, never in a machine's context.
 */
export interface UserSummary {
  readonly personId: string;
  readonly instanceId: string;
  readonly name: string;
}

export class NodeUser {
  #identity?: Identity;

  constructor(
    private readonly store: () => ObjectStore,
    private readonly crypto: CryptoProvider,
    private readonly instanceName: string,
  ) {}

  get identity(): Identity | undefined {
    return this.#identity;
  }

  async exists(): Promise<{ hasUser: boolean }> {
    return { hasUser: await hasIdentity(this.store()) };
  }

  async create(request: { name: string; passphrase: string }): Promise<UserSummary> {
    this.#identity = await createIdentity(this.store(), this.crypto, { name: request.name, instanceName: this.instanceName, passphrase: request.passphrase });
    return this.#summary(this.#identity);
  }

  /** Unlocks with the passphrase; throws IdentityError WRONG_PASSPHRASE when it does not fit. */
  async unlock(request: { passphrase: string }): Promise<UserSummary> {
    const identity = await openIdentity(this.store(), this.crypto, request.passphrase);
    this.#identity ??= identity;
    return this.#summary(identity);
  }

  async #summary(identity: Identity): Promise<UserSummary> {
    const person = await this.store().getLatest<Person>(identity.personId);
    return { personId: identity.personId, instanceId: identity.instanceId, name: person?.object.name ?? 'LAMA user' };
  }
}
