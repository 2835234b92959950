/**
 * The placeholder for an effect a machine names in `setup()` but cannot perform itself (it is
 * pure): hosts replace it with `.provide()`, tests with fakes. Running it unprovided is a wiring
 * bug, so it fails loudly with the effect's name.
 */
export function notProvided(effect: string): () => never {
  return () => {
    throw new Error(`${effect}: effect not provided — the host must supply it with machine.provide()`);
  };
}
