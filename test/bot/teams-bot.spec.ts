// The bot's chat surface at unit level, through botbuilder's TestAdapter.
import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { TeamsBot } from '../../bot/teams-bot.js';
import { splitCommand, suggest } from '../../bot/commands/parse.js';

function adapterFor(bot: TeamsBot): TestAdapter {
  return new TestAdapter((context) => bot.run(context));
}

function cardOf(activity: Partial<Activity>): { body: unknown[] } {
  const attachment = activity.attachments?.[0];
  assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
  return attachment!.content as { body: unknown[] };
}

describe('bot/teams-bot', () => {
  it('answers "help" with an Adaptive Card listing the help command', async () => {
    await adapterFor(new TeamsBot())
      .send('help')
      .assertReply((reply) => {
        const card = cardOf(reply);
        const text = JSON.stringify(card);
        assert.match(text, /Switchboard/);
        assert.match(text, /\*\*help\*\*/);
        assert.doesNotMatch(text, /\$\{/, 'every template expression is expanded');
      })
      .startTest();
  });

  it('understands HELP with an @mention and extra spaces', async () => {
    await adapterFor(new TeamsBot())
      .send('<at>Switchboard</at>   HELP ')
      .assertReply((reply) => assert.ok(cardOf(reply)))
      .startTest();
  });

  it('suggests the closest command for a typo instead of staying silent', async () => {
    await adapterFor(new TeamsBot())
      .send('hlep')
      .assertReply((reply) => {
        assert.match(reply.text ?? '', /I don't know "hlep"/);
        assert.match(reply.text ?? '', /\*\*help\*\*/);
      })
      .startTest();
  });

  it('lists extra commands on the help card', async () => {
    const ping = { name: 'ping', usage: 'ping', summary: 'Check I am here.', example: 'ping', run: async () => undefined };
    await adapterFor(new TeamsBot(undefined, [ping]))
      .send('help')
      .assertReply((reply) => assert.match(JSON.stringify(cardOf(reply)), /Check I am here/))
      .startTest();
  });
});

describe('bot/commands/parse', () => {
  const cases: Array<[string, string, string]> = [
    ['help', 'help', ''],
    ['  Call   Alex Rivera ', 'call', 'Alex Rivera'],
    ['<at>Switchboard</at> join https://x', 'join', 'https://x'],
    ['', '', ''],
    ['<at>Bot</at>', '', ''],
  ];
  for (const [text, word, args] of cases) {
    it(`splits ${JSON.stringify(text)}`, () => assert.deepEqual(splitCommand(text), { word, args }));
  }
  it('suggests near names only', () => {
    assert.deepEqual(suggest('hlep', ['help', 'hangup', 'roster']), ['help']);
    assert.deepEqual(suggest('zzzz', ['help', 'roster']), []);
  });
});
