/** A scripted Orchestrator for the IPC tests: provision and status behave like a small host. */
import type { RequestOf } from './channels.ts';
import { OrchestrationError } from './orchestration-error.ts';
import { partialOrchestrator } from './orchestrator.ts';
import type { InvokeHandlers, Orchestrator } from './orchestrator.ts';
import { PushEmitter } from './push-emitter.ts';

export const PERSON = 'a'.repeat(64);
export const INSTANCE = 'b'.repeat(64);
export const PASSPHRASE = 'correct horse battery';

export type TestHost = { orchestrator: Orchestrator; pushes: PushEmitter; received: RequestOf<'orchestrate:provision'>[] };

export function testHost(overrides: Partial<InvokeHandlers> = {}): TestHost {
  const pushes = new PushEmitter();
  const received: RequestOf<'orchestrate:provision'>[] = [];
  const orchestrator = partialOrchestrator(
    {
      'orchestrate:provision': async (request) => {
        received.push(request);
        if (request.passphrase !== PASSPHRASE) throw new OrchestrationError('WRONG_PASSPHRASE', 'the passphrase does not unlock this user');
        return { personId: PERSON, instanceId: INSTANCE, created: received.length === 1 };
      },
      'orchestrate:status': async () => ({ app: { state: 'running', failures: [] }, provisioned: null }),
      ...overrides,
    },
    pushes.onPush,
  );
  return { orchestrator, pushes, received };
}
