/**
 * An orchestration failure with a code the other side can act on (WRONG_PASSPHRASE,
 * NOT_IMPLEMENTED, …). Hosts throw it and keep their code across the boundary; clients throw it
 * when a reply is `{ ok: false }`, so renderer code handles one error type whatever the transport.
 */
export class OrchestrationError extends Error {
  override readonly name = 'OrchestrationError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
