// A newcomer's first hour in chat (issue 18): "hi" is answered, an install is welcomed once, an unknown local user is
// told who they are chatting as, partial names ask first, and cards speak in names and the viewer's own time.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { callCard } from '../../bot/cards/call-card.js';
import { frontDeskCard } from '../../bot/cards/front-desk-card.js';
import { meetingCard } from '../../bot/cards/meeting-card.js';
import { reminderCard } from '../../bot/cards/reminder-card.js';
import { viewerClock } from '../../bot/cards/viewer-clock.js';
import { words } from '../../bot/commands/presence.js';
import type { Reminder } from '../../comms/reminders/index.js';
import { botHarness, PEOPLE, repliesTo, type Harness } from './bot-harness.js';
import { visibleTexts } from './visible-text.js';

const cardText = (a: Partial<Activity> | undefined) => visibleTexts(a?.attachments?.[0]?.content).join('\n');
const PLAYGROUND_DEFAULT_USER = { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-0000000000020' };

describe('bot: the first hour', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = botHarness();
  });
  afterEach(() => harness.close());

  for (const greeting of ['hi', 'Hello!', 'hey', 'good morning']) {
    it(`"${greeting}" gets a greeting and the help card, not "I don't know"`, async () => {
      const [reply] = await repliesTo(harness, greeting);
      assert.doesNotMatch(reply?.text ?? '', /I don't know/);
      assert.match(cardText(reply), /Hi Amara!/);
      assert.match(cardText(reply), /call ‹person›/);
    });
  }

  it('welcomes an install once: conversationUpdate (bot added) then installationUpdate give one welcome card', async () => {
    const added = await repliesTo(harness, { type: 'conversationUpdate', membersAdded: [{ id: 'bot', name: 'Switchboard' }] });
    assert.equal(added.length, 1);
    const text = cardText(added[0]);
    assert.match(text, /Welcome to Switchboard, Amara!/);
    assert.match(text, /Three things to try first/);
    for (const first of ['call ‹person›', 'meeting ‹subject›', 'remind ‹person›']) assert.ok(text.includes(first), `the welcome shows ${first}`);
    const again = await repliesTo(harness, { type: 'installationUpdate', action: 'add' });
    assert.equal(again.length, 0, 'no second welcome for the same install');
  });

  it('does not welcome when only a person joins the chat', async () => {
    const replies = await repliesTo(harness, { type: 'conversationUpdate', membersAdded: [{ id: 'user-2', name: 'Jonas' }] });
    assert.equal(replies.length, 0);
  });

  it('welcomes a meeting chat with the meeting things to try', async () => {
    const [reply] = await repliesTo(harness, { type: 'installationUpdate', action: 'add', conversation: { id: '19:meeting_abc@thread.v2', conversationType: 'groupChat' } as never });
    assert.match(cardText(reply), /mute all/);
    assert.match(cardText(reply), /roster/);
  });

  it('in local mode, the welcome tells the Playground\'s default user who they are chatting as', async () => {
    const [reply] = await repliesTo(harness, { type: 'installationUpdate', action: 'add', from: PLAYGROUND_DEFAULT_USER });
    assert.match(cardText(reply), /You are chatting as Alex Wilber .*not one of the emulated people/);
    assert.match(cardText(reply), /npm run playground/);
  });

  it('"meeting … with …" from a user who is not an emulated person explains instead of failing on Graph', async () => {
    const [reply] = await repliesTo(harness, { type: 'message', text: 'meeting Design review with Priya Raman, Jonas Lindqvist', from: PLAYGROUND_DEFAULT_USER });
    assert.match(reply?.text ?? '', /You are chatting as Alex Wilber/);
    assert.doesNotMatch(reply?.text ?? '', /organizerId/);
  });

  it('"call a" asks before ringing the only person whose name starts with A', async () => {
    const [reply] = await repliesTo(harness, 'call a');
    assert.match(cardText(reply), /Did you mean Amara Okafor\?/);
    const content = JSON.stringify(reply?.attachments?.[0]?.content);
    assert.match(content, /"command":"call amara\.okafor@switchboard\.test"/);
  });

  it('a whole first name still finds the person directly (no needless question)', async () => {
    const replies = await repliesTo(harness, 'presence Jonas');
    assert.doesNotMatch(cardText(replies[0]) + (replies[0]?.text ?? ''), /Did you mean/);
  });
});

describe('bot: cards in names and the viewer\'s own time', () => {
  const reminder: Reminder = {
    id: 'r1', person: { userId: 'u1', displayName: 'Jonas Lindqvist' }, message: 'Stand-up', dueAt: '2026-12-01T10:00:00Z', createdAt: '2026-12-01T09:00:00Z',
    updatedAt: '2026-12-01T09:00:00Z', confirm: true, status: 'scheduled', attempts: 1, maxAttempts: 3, outcome: 'not answered; trying again at 2026-12-01T18:38:08.136Z',
  };

  it('shows a reminder on the viewer\'s clock (Teams\' localTimezone and locale), outcome times included', () => {
    const clock = viewerClock({ localTimezone: 'Asia/Tokyo', locale: 'en-US' }, 'UTC');
    const text = visibleTexts(reminderCard(reminder, clock)).join('\n');
    assert.match(text, /7:00\s?PM/);
    assert.match(text, /trying again at Dec 2, 2026, 3:38\s?AM/);
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T/);
  });

  it('falls back to the server zone for a hostile time zone or locale', () => {
    assert.deepEqual(viewerClock({ localTimezone: 'Mars/Olympus', locale: 'not a locale!!' }, 'Europe/Lisbon'), { timeZone: 'Europe/Lisbon', locale: 'en-GB' });
  });

  it('names people on the meeting card, not their e-mail addresses', () => {
    const names = new Map([[PEOPLE[1]!.id, 'Jonas Lindqvist'], [PEOPLE[0]!.userPrincipalName, 'Amara Okafor']]);
    const card = meetingCard(
      { id: 'm', subject: 'Design review', start: '2026-12-01T10:00:00Z', end: '2026-12-01T11:00:00Z', organizer: { upn: PEOPLE[0]!.userPrincipalName }, attendees: [{ userId: PEOPLE[1]!.id, upn: PEOPLE[1]!.userPrincipalName }] },
      { timeZone: 'UTC', names },
    );
    const text = visibleTexts(card).join('\n');
    assert.match(text, /Amara Okafor/);
    assert.match(text, /Jonas Lindqvist/);
    assert.doesNotMatch(text, /@switchboard\.test/);
  });

  it('a group call is not "Connected" before anyone answered, and is once someone has', () => {
    const base = { id: 'c', state: 'established' as const, createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:01Z', targets: [{ identity: { user: { id: 'a' } } }, { identity: { user: { id: 'b' } } }] };
    const bot = { id: 'p0', info: { identity: { application: { id: 'app' } } } };
    const waiting = visibleTexts(callCard({ call: { ...base, participants: [bot] }, who: 'Ana, Ben', connectedAt: base.updatedAt })).join('\n');
    assert.doesNotMatch(waiting, /Connected/);
    assert.match(waiting, /nobody has answered yet/);
    const answered = visibleTexts(callCard({ call: { ...base, participants: [bot, { id: 'p1', info: { identity: { user: { id: 'a' } } } }] }, who: 'Ana, Ben' })).join('\n');
    assert.match(answered, /Connected/);
  });

  it('spells presence activities as words ("in a conference call")', () => {
    assert.equal(words('InAConferenceCall'), 'in a conference call');
    assert.equal(words('InACall'), 'in a call');
    assert.equal(words('OffWork'), 'off work');
  });

  it('names the front-desk file, never its path on the server', () => {
    const card = frontDeskCard({ desk: { rules: [], default: { action: 'reject', reason: 'busy' }, menus: {} } } as never, '/srv/secret/place/front-desk.jsonc', [], 'UTC');
    const text = visibleTexts(card).join('\n');
    assert.match(text, /front-desk\.jsonc/);
    assert.doesNotMatch(text, /\/srv\/secret/);
  });
});
