import type { BrowserInstance } from '../../actors/browser/browser-instance.dom.ts';
import { chatWorld } from '../../actors/browser/chat-test-kit.ts';
import { InspectionCollector } from '../../actors/inspection/inspection-collector.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';
import type { PayloadOf, PushChannel } from '../../hosts/ipc/channels.ts';
import type { RendererServices } from '../services.ts';
import './lama-chat-layout.ts';

/**
 * A page with <lama-chat-layout> over real data, for screenshots: a browser-like chat world in a
 * memory store (real topics and signed messages by the user, her AI contact and another person),
 * RendererServices whose orchestration is recorded and whose status pushes the test sends.
 */
export async function mountChatFixture() {
  const day = 86_400_000;
  let clock = new Date(new Date().setHours(9, 12, 0, 0)).getTime() - 2 * day;
  const world = await chatWorld({ now: () => (clock += 47_000) });
  const { chat } = world;
  const at = (ms: number) => (clock = ms);

  const { idHash: weekend } = await chat.createTopic({ name: 'Weekend plans', participants: [world.bob.personId, world.ai.personId, world.node.personId] });
  await world.sendAs(world.bob, weekend, 'Anyone up for the lake on Saturday?');
  await chat.send(weekend, 'Yes! If the weather holds.');
  await world.sendAs(world.bob, weekend, '@Tiny what does the forecast look like?');
  await world.sendAs(world.ai, weekend, 'Saturday looks **sunny, 24 °C**, light wind from the west. Sunday turns cloudy with showers after 3 pm.');

  const { idHash: research } = await chat.createTopic({ name: 'Research notes', participants: [world.ai.personId, world.node.personId] });
  at(clock + day / 2);
  await chat.send(research, 'Summarise the three papers I saved yesterday.');
  await world.sendAs(world.ai, research, 'The first paper argues that', { incomplete: true });
  await world.sendAs(world.ai, research, 'Tiny could not finish: the model server at 127.0.0.1:11434 stopped answering (timed out after 60 s).', { kind: 'system' });

  const { idHash: bob } = await chat.createTopic({ name: 'Bob Marley', participants: [world.bob.personId, world.node.personId] });
  at(Date.now() - 3 * 3_600_000);
  await world.sendAs(world.bob, bob, 'Did you get the photos?');
  await world.sendAs(world.bob, bob, 'The ones from the concert on Friday');

  const { idHash: tiny } = await chat.createTopic({ name: 'Tiny', participants: [world.ai.personId, world.node.personId] });
  at(Date.now() - 40 * 60_000);
  await chat.send(tiny, 'How do I read a file line by line in TypeScript on Node?');
  await world.sendAs(
    world.ai,
    tiny,
    [
      'Use `readline` over a file stream — it never loads the whole file:',
      '',
      '```ts',
      "import { createReadStream } from 'node:fs';",
      "import { createInterface } from 'node:readline';",
      '',
      "const lines = createInterface({ input: createReadStream('notes.txt'), crlfDelay: Infinity });",
      'for await (const line of lines) console.log(line);',
      '```',
      '',
      '- `crlfDelay: Infinity` treats `\\r\\n` as one line break',
      '- for small files, `readFile` + `split(/\\r?\\n/)` is simpler',
    ].join('\n'),
  );
  await chat.send(tiny, 'Great, thanks. Now clean up the old drafts in my notes folder.');

  const pushes = new Map<string, Set<(payload: unknown) => void>>();
  const orchestrated: { channel: string; request: unknown }[] = [];
  const services: RendererServices = {
    instance: world.source as unknown as BrowserInstance,
    collector: new InspectionCollector(),
    orchestrate: async (channel, request) => {
      orchestrated.push({ channel, request });
      return {} as never;
    },
    onPush: <C extends PushChannel>(channel: C, listener: (payload: PayloadOf<C>) => void) => {
      const set = pushes.get(channel) ?? new Set();
      pushes.set(channel, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  // Bob's and the AI's messages above are unread, except in the topic opened first.
  localStorage.clear();
  const layout = document.createElement('lama-chat-layout');
  layout.services = services;
  layout.style.cssText = 'position: fixed; inset: 0';
  document.body.append(layout);

  const push = (payload: PayloadOf<'status:aiStream'>) => pushes.get('status:aiStream')?.forEach((l) => l(payload));
  return {
    layout,
    orchestrated,
    topics: { weekend, research, bob, tiny } as Record<string, SHA256Hash>,
    ai: world.ai.personId,
    /** The AI asks before deleting, in the Tiny topic. */
    askApproval: () =>
      push({
        topic: tiny,
        aiPerson: world.ai.personId,
        phase: 'approval',
        text: 'I found 3 drafts older than 6 months. I will move them out of your notes folder:',
        approval: {
          call: { id: 'call-1', name: 'delete_file', arguments: { path: '/home/ada/notes/drafts/2023-old-ideas.md', reason: 'draft not edited since March 2024', dryRun: false } },
          title: 'Delete a file',
          reason: 'Deleting changes your files; LAMA asks every time unless you always allow it.',
          destructive: true,
        },
      }),
    /** The AI writes, in the Tiny topic. */
    stream: (text: string) => push({ topic: tiny, aiPerson: world.ai.personId, phase: 'streaming', text }),
  };
}
