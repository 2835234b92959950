/**
 * The names the model sees (specs/mcp.md §4). A tool keeps its plain name (`read_file`) unless
 * two servers offer the same one; then both become `<server>__<name>` — both, so that which one
 * keeps the plain name never depends on which server connected first.
 *
 * Names must satisfy every provider's rule for tool names (OpenAI: `^[a-zA-Z0-9_-]{1,64}$`, the
 * strictest); a tool whose name cannot is not offered rather than renamed behind its back.
 */

export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Server ids are short and contain no `_`, so a namespaced name reads unambiguously. */
export const SERVER_ID = /^[a-z][a-z0-9-]{0,31}$/;

export const NAMESPACE_SEPARATOR = '__';

/** A tool a server offers, under the name its profile gives it (before any clash is resolved). */
export interface NameCandidate {
  readonly serverId: string;
  /** The server's own name for the tool: what `tools/call` is sent with. */
  readonly serverTool: string;
  /** The name the model would see without a clash. */
  readonly name: string;
}

/** Model-facing name → candidate, in the order given; clashing names namespaced, invalid ones left out. */
export function assignNames(candidates: readonly NameCandidate[]): Map<string, NameCandidate> {
  const servers = new Map<string, Set<string>>();
  for (const c of candidates) {
    let ids = servers.get(c.name);
    if (!ids) servers.set(c.name, (ids = new Set()));
    ids.add(c.serverId);
  }
  const names = new Map<string, NameCandidate>();
  for (const c of candidates) {
    const name = servers.get(c.name)!.size > 1 ? `${c.serverId}${NAMESPACE_SEPARATOR}${c.name}` : c.name;
    // A second tool under one name from the same server (a profile mapping two tools to one name) is a
    // configuration slip; the first keeps the name rather than the model calling the wrong one.
    if (TOOL_NAME.test(name) && !names.has(name)) names.set(name, c);
  }
  return names;
}
