import { describe, expect, it } from 'vitest';
import { ALL_TOOLS, decide, EMPTY_POLICY, parsePolicy, serializePolicy, withRule, type ApprovalPolicy } from './approval-policy.ts';
import { isMcpError } from './mcp-error.ts';

const READ_ONLY = { readOnlyHint: true };
const WRITES = { readOnlyHint: false, destructiveHint: true };

describe('decide', () => {
  it('runs read-only tools and asks for everything else by default', () => {
    expect(decide('filesystem', 'read_text_file', READ_ONLY, EMPTY_POLICY)).toBe('run');
    expect(decide('filesystem', 'write_file', WRITES, EMPTY_POLICY)).toBe('ask');
    // A tool that says nothing about itself is treated as one that changes things.
    expect(decide('filesystem', 'mystery', undefined, EMPTY_POLICY)).toBe('ask');
    expect(decide('filesystem', 'mystery', {}, EMPTY_POLICY)).toBe('ask');
  });

  it('lets the user allow, ask for or block a tool per server, over its hint', () => {
    let policy = withRule(EMPTY_POLICY, 'filesystem', 'write_file', 'allow');
    policy = withRule(policy, 'filesystem', 'read_text_file', 'ask');
    policy = withRule(policy, 'filesystem', 'move_file', 'block');
    expect(decide('filesystem', 'write_file', WRITES, policy)).toBe('run');
    expect(decide('filesystem', 'read_text_file', READ_ONLY, policy)).toBe('ask');
    expect(decide('filesystem', 'move_file', WRITES, policy)).toBe('refuse');
    // The lists belong to one server: the same tool name elsewhere is untouched.
    expect(decide('other', 'write_file', WRITES, policy)).toBe('ask');
  });

  it('applies `*` to all of a server\'s tools, with a named entry winning over it', () => {
    let policy = withRule(EMPTY_POLICY, 'filesystem', ALL_TOOLS, 'block');
    expect(decide('filesystem', 'read_text_file', READ_ONLY, policy)).toBe('refuse');
    policy = withRule(policy, 'filesystem', 'read_text_file', 'allow');
    expect(decide('filesystem', 'read_text_file', READ_ONLY, policy)).toBe('run');
    expect(decide('filesystem', 'list_directory', READ_ONLY, policy)).toBe('refuse');
  });

  it('ranks block over ask over allow when a hand-edited policy lists a tool twice', () => {
    const policy: ApprovalPolicy = { version: 1, servers: { s: { allow: ['t', 'u'], ask: ['t', 'u'], block: ['t'] } } };
    expect(decide('s', 't', READ_ONLY, policy)).toBe('refuse');
    expect(decide('s', 'u', READ_ONLY, policy)).toBe('ask');
  });

  it('does not read rules from the object prototype', () => {
    expect(decide('constructor', 'toString', undefined, EMPTY_POLICY)).toBe('ask');
    expect(decide('__proto__', 'x', READ_ONLY, EMPTY_POLICY)).toBe('run');
  });
});

describe('withRule', () => {
  it('keeps a tool on one list at most, and drops a server whose lists empty', () => {
    let policy = withRule(EMPTY_POLICY, 'filesystem', 'write_file', 'block');
    policy = withRule(policy, 'filesystem', 'write_file', 'allow');
    expect(policy.servers.filesystem).toEqual({ allow: ['write_file'], ask: [], block: [] });
    policy = withRule(policy, 'filesystem', 'write_file', null);
    expect(policy).toEqual(EMPTY_POLICY);
  });

  it('never changes the policy it was given', () => {
    const before = withRule(EMPTY_POLICY, 'filesystem', 'a', 'allow');
    const snapshot = JSON.stringify(before);
    withRule(before, 'filesystem', 'b', 'allow');
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(EMPTY_POLICY).toEqual({ version: 1, servers: {} });
  });
});

describe('parsePolicy', () => {
  it('reads back what serializePolicy wrote', () => {
    const policy = withRule(withRule(EMPTY_POLICY, 'filesystem', 'write_file', 'allow'), 'lama', ALL_TOOLS, 'ask');
    expect(parsePolicy(serializePolicy(policy))).toEqual(policy);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['a newer version', '{"version":2,"servers":{}}', /version 2, newer than this LAMA understands/],
    ['no version', '{"servers":{}}', /malformed/],
    ['a list that is not a list', '{"version":1,"servers":{"filesystem":{"allow":"write_file","ask":[],"block":[]}}}', /malformed.*allow/s],
    ['an unknown list', '{"version":1,"servers":{"filesystem":{"allow":[],"ask":[],"block":[],"sometimes":[]}}}', /malformed/],
    ['null', 'null', /malformed/],
  ])('refuses %s with BAD_POLICY', (_what, json, message) => {
    let error: unknown;
    try {
      parsePolicy(json);
    } catch (caught) {
      error = caught;
    }
    expect(isMcpError(error, 'BAD_POLICY')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
