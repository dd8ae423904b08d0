// "call +E.164" in chat: a PSTN call from the configured application instance (source applicationInstance, the
// app's tenantId, one phone target), a card saying what to configure when no instance is, usage for a number that
// is not E.164, and Graph's refusal shown as an error card.
import assert from 'node:assert/strict';
import type { BotServices } from '../../bot/commands/command.js';
import { GraphError } from '../../comms/graph/index.js';
import { botHarness, repliesTo } from './bot-harness.js';

const INSTANCE = '5c0e7d2a-91b4-4f3e-8a6d-0b7c2e9f4a11';
const cardText = (activity: { attachments?: Array<{ content?: unknown }> }) => JSON.stringify(activity.attachments?.[0]?.content ?? {});

describe('bot: call a phone number', () => {
  const placed: unknown[] = [];
  const calls = {
    listCalls: async () => [],
    getCall: async () => undefined,
    placeCall: async (input: unknown) => {
      placed.push(input);
      return { id: 'c0ffee00-0000-4000-8000-000000000001', state: 'establishing', direction: 'outgoing', createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:00Z', targets: [] };
    },
  } as unknown as BotServices['calls'];

  beforeEach(() => void placed.splice(0));

  it('places a peer-to-peer call from the application instance to the number, in E.164, and posts the call card', async () => {
    const h = botHarness({ calls, pstn: { applicationInstanceId: INSTANCE } });
    try {
      const replies = await repliesTo(h, 'call +1 (425) 555-0143');
      assert.deepEqual(placed, [{
        target: { kind: 'phone', number: '+14255550143' },
        source: { kind: 'applicationInstance', id: INSTANCE },
        tenantId: '6e1f2a0c-4b7d-4f0e-9c3a-2d5b8e7f1a90',
        purpose: 'chat-call',
      }]);
      assert.match(cardText(replies.at(-1)!), /Call with \+14255550143/);
    } finally {
      h.close();
    }
  });

  it('without an application instance: a card naming PSTN_APPLICATION_INSTANCE_ID and the licence, and no call', async () => {
    const h = botHarness({ calls });
    try {
      const replies = await repliesTo(h, 'call +14255550143');
      const text = cardText(replies.at(-1)!);
      assert.match(text, /can't call phone numbers yet/);
      assert.match(text, /PSTN_APPLICATION_INSTANCE_ID/);
      assert.match(text, /Teams Phone Resource Account licence/);
      assert.deepEqual(placed, []);
    } finally {
      h.close();
    }
  });

  it('a number that is not E.164: usage in words, no call', async () => {
    const h = botHarness({ calls, pstn: { applicationInstanceId: INSTANCE } });
    try {
      for (const text of ['call +0425', 'call +1 425 555 01ab']) {
        const replies = await repliesTo(h, text);
        assert.match(String(replies.at(-1)!.text), /international format/);
      }
      assert.deepEqual(placed, []);
    } finally {
      h.close();
    }
  });

  it('Graph refusing the call (an instance linked to another app): an error card, not a crash', async () => {
    const refusing = { ...calls, placeCall: async () => { throw new GraphError('graph/forbidden', 'Application instance is linked to another application', { status: 403 }); } } as unknown as BotServices['calls'];
    const h = botHarness({ calls: refusing, pstn: { applicationInstanceId: INSTANCE } });
    try {
      const replies = await repliesTo(h, 'call +14255550143');
      assert.match(cardText(replies.at(-1)!), /couldn't call \+14255550143/);
    } finally {
      h.close();
    }
  });
});
