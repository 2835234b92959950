import { describe, expect, it, vi } from 'vitest';
import type { PushMessage } from './channels.ts';
import { checkPush, dispatch } from './dispatch.ts';
import { INSTANCE, PASSPHRASE, PERSON, testHost } from './ipc-test-kit.ts';

const provision = { name: '  Ada  ', passphrase: PASSPHRASE };

describe('dispatch', () => {
  it('parses the request, calls the host and returns its parsed response', async () => {
    const { orchestrator, received } = testHost();
    expect(await dispatch(orchestrator, 'orchestrate:provision', provision)).toEqual({
      ok: true,
      response: { personId: PERSON, instanceId: INSTANCE, created: true },
    });
    // The host sees the parsed request: the name trimmed by the schema.
    expect(received).toEqual([{ name: 'Ada', passphrase: PASSPHRASE }]);
  });

  it.each([
    ['a name not in the table', 'orchestrate:nothing'],
    ['a push channel', 'status:app'],
    ['an inherited property', 'constructor'],
    ['a prototype key', '__proto__'],
    ['a non-string', 42],
  ])('answers UNKNOWN_CHANNEL for %s without calling the host', async (_, channel) => {
    const { orchestrator, received } = testHost();
    const result = await dispatch(orchestrator, channel, provision);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(received).toEqual([]);
  });

  it.each([
    [{ name: 'Ada', passphrase: 'short' }, 'passphrase'],
    [{ name: '   ', passphrase: PASSPHRASE }, 'name'],
    [{ name: 'x'.repeat(101), passphrase: PASSPHRASE }, 'name'],
    [{ name: 'Ada' }, 'passphrase'],
    [{ name: 'Ada', passphrase: PASSPHRASE, admin: true }, '"admin"'],
    [null, 'expected object'],
    [undefined, 'expected object'],
  ])('answers BAD_REQUEST naming what is wrong in %j', async (request, named) => {
    const { orchestrator, received } = testHost();
    const result = await dispatch(orchestrator, 'orchestrate:provision', request);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    if (!result.ok) expect(result.error.message).toContain(named);
    expect(received).toEqual([]);
  });

  it('keeps the code and message of a thrown coded error, and never the passphrase', async () => {
    const { orchestrator } = testHost();
    const result = await dispatch(orchestrator, 'orchestrate:provision', { name: 'Ada', passphrase: 'wrong passphrase' });
    expect(result).toEqual({ ok: false, error: { code: 'WRONG_PASSPHRASE', message: 'the passphrase does not unlock this user' } });
  });

  it('keeps the code of a plain object thrown with one', async () => {
    const { orchestrator } = testHost({ 'orchestrate:status': () => Promise.reject({ code: 'NOT_PROVISIONED', message: 'no user yet' }) });
    expect(await dispatch(orchestrator, 'orchestrate:status', {})).toEqual({ ok: false, error: { code: 'NOT_PROVISIONED', message: 'no user yet' } });
  });

  it('answers INTERNAL with a short message and no stack for anything else, and tells the host', async () => {
    const cause = new Error('SQLITE_CORRUPT at /home/ada/.local/share/lama/archive');
    const onInternalError = vi.fn();
    for (const thrown of [cause, 'a string', { code: 'lower case is not a code' }, null]) {
      const { orchestrator } = testHost({ 'orchestrate:status': () => Promise.reject(thrown) });
      const result = await dispatch(orchestrator, 'orchestrate:status', {}, { onInternalError });
      expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'orchestrate:status failed inside the host' } });
    }
    expect(onInternalError).toHaveBeenCalledWith(cause, 'orchestrate:status');
  });

  it('answers INTERNAL when a handler throws synchronously instead of rejecting', async () => {
    const { orchestrator } = testHost({ 'orchestrate:status': () => { throw new TypeError('oops'); } });
    expect(await dispatch(orchestrator, 'orchestrate:status', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it.each([
    ['an extra field', { personId: PERSON, instanceId: INSTANCE, created: true, secretKey: 'x' }],
    ['a malformed hash', { personId: PERSON.toUpperCase(), instanceId: INSTANCE, created: true }],
    ['a missing field', { personId: PERSON, instanceId: INSTANCE }],
  ])('refuses a host response with %s as INTERNAL', async (_, response) => {
    const onInternalError = vi.fn();
    const { orchestrator } = testHost({ 'orchestrate:provision': async () => response as never });
    const result = await dispatch(orchestrator, 'orchestrate:provision', provision, { onInternalError });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!result.ok) expect(result.error.message).toContain('schema');
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('answers NOT_IMPLEMENTED for channels the host has not implemented yet', async () => {
    const { orchestrator } = testHost();
    expect(await dispatch(orchestrator, 'orchestrate:startFederation', {})).toMatchObject({ ok: false, error: { code: 'NOT_IMPLEMENTED' } });
  });

  it('calls the handler as a method, so hosts may use `this`', async () => {
    const host = {
      ...testHost().orchestrator,
      state: 'stopping',
      async 'orchestrate:status'(this: { state: string }) {
        return { app: { state: this.state, failures: [] }, provisioned: null };
      },
    };
    expect(await dispatch(host, 'orchestrate:status', {})).toMatchObject({ ok: true, response: { app: { state: 'stopping' } } });
  });
});

describe('checkPush', () => {
  const progress = { peer: 'browser', objectsDone: 3, objectsTotal: 10, bytesDone: 300, bytesTotal: 1000 };

  it('lets a well-formed push through', () => {
    expect(checkPush({ channel: 'status:syncProgress', payload: progress })).toEqual({ channel: 'status:syncProgress', payload: progress });
  });

  it('stops a push with a bad payload or an unknown channel, and tells the host', () => {
    const onInternalError = vi.fn();
    expect(checkPush({ channel: 'status:syncProgress', payload: { ...progress, objectsDone: -1 } }, { onInternalError })).toBeUndefined();
    expect(checkPush({ channel: 'status:syncProgress', payload: { ...progress, bytesDone: 1.5 } }, { onInternalError })).toBeUndefined();
    expect(checkPush({ channel: 'status:chat', payload: {} } as unknown as PushMessage, { onInternalError })).toBeUndefined();
    expect(onInternalError).toHaveBeenCalledTimes(3);
  });

  it('keeps chat data out of the inspection stream: events cross as their type alone', () => {
    const at = 1_700_000_000_000;
    const frame = (event: object) => ({ channel: 'status:inspection', payload: { events: [{ actorId: 'x:1', name: 'chat', type: 'event', event, at }] } }) as PushMessage;
    expect(checkPush(frame({ type: 'chat.sent' }))).toBeDefined();
    expect(checkPush(frame({ type: 'chat.sent', text: 'hello Bob' }))).toBeUndefined();
  });

  it('bounds an inspection frame in events and in bytes', () => {
    const event = { actorId: 'x:1', name: 'chat', type: 'snapshot', state: 'idle', at: 1 } as const;
    const push = (events: object[]) => ({ channel: 'status:inspection', payload: { events } }) as PushMessage;
    expect(checkPush(push(Array.from({ length: 256 }, () => event)))).toBeDefined();
    expect(checkPush(push(Array.from({ length: 257 }, () => event)))).toBeUndefined();
    expect(checkPush(push([{ ...event, contextSummary: 'x'.repeat(300 * 1024) }]))).toBeUndefined();
    expect(checkPush(push([{ ...event, state: { unserialisable: () => 1 } }]))).toBeUndefined();
  });
});
