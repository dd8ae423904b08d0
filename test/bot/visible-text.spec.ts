// Nothing the bot writes vanishes in Teams: Teams (and the Agents Playground) drop anything shaped like an HTML tag
// from message text and card markdown, so "call <person>" read "call ". Every card and reply is rendered the way
// Teams renders it and compared with what was meant.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { callCard } from '../../bot/cards/call-card.js';
import { choiceCard } from '../../bot/cards/choice-card.js';
import { errorCard } from '../../bot/cards/error-card.js';
import { frontDeskCard } from '../../bot/cards/front-desk-card.js';
import { helpCard } from '../../bot/cards/help-card.js';
import { meetingCard } from '../../bot/cards/meeting-card.js';
import { reminderCard } from '../../bot/cards/reminder-card.js';
import { rosterCard } from '../../bot/cards/roster-card.js';
import { progressCard } from '../../bot/cards/progress-card.js';
import { welcomeCard } from '../../bot/cards/welcome-card.js';
import type { Reminder } from '../../comms/reminders/index.js';
import { botHarness, repliesTo, type Harness } from './bot-harness.js';
import { teamsRender, visibleTexts } from './visible-text.js';

function assertNothingVanishes(texts: string[], where: string): void {
  assert.ok(texts.length > 0, `${where} has text`);
  for (const text of texts) assert.equal(teamsRender(text), text.replace(/\*\*/g, ''), `${where}: "${text}" loses something when Teams renders it`);
}

/** The <placeholders> of a usage line, as words that must still be readable. */
function placeholders(usage: string): string[] {
  return [...usage.matchAll(/<([^<>]+)>/g)].map((m) => m[1]!);
}

const reminder: Reminder = {
  id: 'r1', person: { userId: 'u1', displayName: 'Jonas <the boss>' }, message: 'bring <the slides>', dueAt: '2026-11-23T10:00:00Z', createdAt: '2026-11-23T09:00:00Z',
  updatedAt: '2026-11-23T09:00:00Z', confirm: true, status: 'scheduled', attempts: 0, maxAttempts: 3,
};

describe('bot: nothing vanishes when Teams renders it', () => {
  let harness: Harness;
  before(() => {
    harness = botHarness();
  });
  after(() => harness.close());

  it('the renderer stand-in really eats tags (the check can fail)', () => {
    assert.equal(teamsRender('call <person>'), 'call ');
    assert.throws(() => assertNothingVanishes(['call <person>'], 'raw'));
  });

  it('the help card keeps every <placeholder> of every command readable', async () => {
    const [reply] = await repliesTo(harness, 'help');
    const texts = visibleTexts(reply!.attachments![0]!.content);
    assertNothingVanishes(texts, 'the help card');
    const rendered = texts.map(teamsRender).join('\n');
    const usages = ['call <person>[, <person>…]', 'remind <person> in <n> minutes|hours to <message>', 'join <Teams meeting link>', 'meeting <subject>', 'invite <person>'];
    for (const usage of usages) for (const word of placeholders(usage)) assert.ok(rendered.includes(word), `help card shows "${word}" (from ${usage})`);
  });

  const usageReplies: Array<[string, string[]]> = [
    ['call', ['person']],
    ['remind', ['person', 'n', 'message', 'HH:MM']],
    ['presence', ['person']],
    ['meeting', ['subject', 'HH:MM', 'person']],
    ['join', ['Teams meeting link']],
    ['roster', ['meeting link']],
    ['invite Grace', ['meeting link']],
    ['mute all', ['meeting link']],
    ['reminders', ['person', 'message']],
  ];
  for (const [text, words] of usageReplies) {
    it(`"${text}" answers in words that survive rendering (${words.join(', ')})`, async () => {
      const replies = await repliesTo(harness, text);
      assert.ok(replies.length > 0, 'a reply');
      const shownText = replies.map((r) => r.text ?? '').join('\n');
      assertNothingVanishes([shownText], `the reply to "${text}"`);
      for (const word of words) assert.ok(teamsRender(shownText).includes(word), `"${word}" is visible in: ${shownText}`);
    });
  }

  it('an unknown word typed with angle brackets is echoed visibly', async () => {
    const [reply] = await repliesTo(harness, '<b>frobnicate</b>');
    assertNothingVanishes([reply!.text ?? ''], 'the unknown-word reply');
  });

  const cards: Array<[string, unknown]> = [
    ['a call card', callCard({ call: { id: 'c', state: 'establishing', createdAt: '2026-11-23T10:00:00Z', updatedAt: '2026-11-23T10:00:00Z' }, who: 'Jonas <ext>' })],
    ['a choice card', choiceCard('Several people match "<a>". Which one did you mean?', [{ title: 'Amara', command: 'call a@x' }])],
    ['an error card', errorCard({ title: 'I couldn\'t call <them>', cause: 'Graph said <no>.', advice: 'Use <this>.' })],
    ['a reminder card', reminderCard({ ...reminder, outcome: 'no answer; trying again at 2026-11-23T10:05:00.000Z' }, 'Europe/Lisbon')],
    ['a meeting card', meetingCard({ id: 'm', subject: 'Review <draft>', start: '2026-11-23T10:00:00Z', end: '2026-11-23T11:00:00Z', attendees: [{ upn: 'p@x' }], joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/x' }, { timeZone: 'UTC' })],
    ['a roster card', rosterCard('In "<draft>"', [{ id: 'p1', displayName: 'Ana <guest>', isMuted: false } as never], { canControl: true, meetingKey: 'k' })],
    ['the front-desk card', frontDeskCard(undefined, undefined, [], 'UTC')],
    ['the help card', helpCard([{ usage: 'call <person>', summary: 'Call <someone>.', example: 'call <Jonas>' }], 'Hi <there>').content],
    ['the welcome card', welcomeCard('personal', { name: 'Amara' })],
    ['the meeting welcome card', welcomeCard('meeting')],
    ['a progress card', progressCard({ title: 'Inviting <Grace>', state: 'running', lines: ['Ringing <them> now…'] })],
    ['a finished progress card', progressCard({ title: 'Invited Grace', state: 'failed', lines: ["Grace didn't answer."] })],
  ];
  for (const [name, card] of cards) {
    it(`${name} survives rendering`, () => assertNothingVanishes(visibleTexts(card), name));
  }

  it('a reply sent in a reminder outcome or a name keeps its words (‹ › instead of < >)', () => {
    const text = visibleTexts(reminderCard(reminder)).join(' ');
    assert.match(text, /bring ‹the slides›/);
    assert.match(text, /Jonas ‹the boss›/);
  });
});

export type { Activity };
