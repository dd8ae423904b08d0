// Queues in the front-desk file: a good one is accepted with Teams' defaults, and every mistake is reported with its
// field and line like any other front-desk mistake.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseJsonc } from 'jsonc-parser';
import { IvrError, parseFrontDesk } from '../../../comms/ivr/index.js';
import { SAMPLE_FRONT_DESK } from '../../../server/config.js';

/** The sample queue README › Call queues shows (keep the two the same). */
const README_QUEUE = {
  agents: ['priya.raman@switchboard.test', 'hana.sato@switchboard.test', 'grace.whitfield@switchboard.test'],
  routing: 'longest-idle',
  alertSeconds: 20,
  presenceBased: true,
  wrapUpSeconds: 15,
  greeting: { text: { en: 'Thank you for calling Switchboard support. All our agents are busy; please stay on the line.', de: 'Vielen Dank für Ihren Anruf beim Switchboard-Support. Alle Mitarbeiter sind im Gespräch; bitte bleiben Sie dran.' } },
  announcements: { everySeconds: 45, position: true, estimatedWait: true },
  maxCallers: 10,
  overflow: { action: 'transfer', to: 'reception', prompt: { text: { en: 'Our support line is full. Let me put you through to reception.', de: 'Unsere Support-Leitung ist voll. Ich verbinde Sie mit der Rezeption.' } } },
  maxWaitSeconds: 600,
  timeout: { action: 'callback' },
  serviceLevelSeconds: 30,
  callback: { afterSeconds: 60, key: '1', attempts: 3, retrySeconds: 120 },
};

const BASE = {
  people: { priya: 'priya.raman@switchboard.test', desk: '+14255550100' },
  groups: { team: ['jonas.lindqvist@switchboard.test'], phones: ['+14255550111'] },
  default: { action: 'enqueue', queue: 'support' },
  menus: { main: { prompt: { text: 'Hello' }, options: { '1': { action: 'enqueue', queue: 'support' } } } },
  queues: { support: { agents: ['priya'], group: 'team' }, sales: { agents: ['priya'] } },
};

const withChange = (change: (d: any) => void): string => {
  const desk = structuredClone(BASE) as any;
  change(desk);
  return JSON.stringify(desk, null, 2);
};

function problemsOf(text: string): Array<{ line?: number; field: string; message: string }> {
  try {
    parseFrontDesk(text);
  } catch (err) {
    assert.ok(err instanceof IvrError);
    assert.equal(err.code, 'ivr/invalid-front-desk');
    return err.problems;
  }
  assert.fail('expected the front desk to be refused');
}

describe('comms/queues in the front-desk file', () => {
  it('accepts queues, enqueue from a rule and from a menu, and fills Teams\' defaults', () => {
    const desk = parseFrontDesk(withChange(() => undefined));
    const q = desk.queues.support!;
    assert.equal(q.routing, 'attendant');
    assert.equal(q.alertSeconds, 30);
    assert.equal(q.presenceBased, true);
    assert.equal(q.maxCallers, 50);
    assert.equal(q.maxWaitSeconds, 1200);
    assert.deepEqual(q.overflow, { action: 'hangup' });
    assert.deepEqual(q.announcements, { everySeconds: 60, position: true, estimatedWait: true });
    assert.deepEqual(desk.default, { action: 'enqueue', queue: 'support' });
  });

  const broken: Array<[string, (d: any) => void, string]> = [
    ['an enqueue into a queue that does not exist (rule)', (d) => (d.default.queue = 'billing'), 'default.queue'],
    ['an enqueue into a queue that does not exist (menu)', (d) => (d.menus.main.options['1'].queue = 'billing'), 'menus.main.options.1.queue'],
    ['an agent who is not a person', (d) => (d.queues.support.agents = ['bob']), 'queues.support.agents[0]'],
    ['an agent who is a phone number', (d) => (d.queues.support.agents = ['desk']), 'queues.support.agents[0]'],
    ['a group that does not exist', (d) => (d.queues.support.group = 'ghosts'), 'queues.support.group'],
    ['a group with a phone number in it', (d) => (d.queues.support.group = 'phones'), 'groups.phones[0]'],
    ['a queue with no agents', (d) => ((d.queues.support.agents = []), delete d.queues.support.group), 'queues.support.agents'],
    ['a routing method Teams does not have', (d) => (d.queues.support.routing = 'random'), 'queues.support.routing'],
    ['an alert time beyond 180 s', (d) => (d.queues.support.alertSeconds = 300), 'queues.support.alertSeconds'],
    ['more than 200 callers', (d) => (d.queues.support.maxCallers = 500), 'queues.support.maxCallers'],
    ['a wait beyond 2700 s', (d) => (d.queues.support.maxWaitSeconds = 3600), 'queues.support.maxWaitSeconds'],
    ['a timeout to voicemail (the caller has been answered by then)', (d) => (d.queues.support.timeout = { action: 'voicemail', to: 'priya' }), 'queues.support.timeout'],
    ['a menu into a queue that overflows to voicemail', (d) => (d.queues.support.overflow = { action: 'voicemail', to: 'priya' }), 'menus.main.options.1.queue'],
    ['an overflow into a queue that does not exist', (d) => (d.queues.support.overflow = { action: 'queue', queue: 'nowhere' }), 'queues.support.overflow.queue'],
    ['a queue that overflows into itself', (d) => (d.queues.support.overflow = { action: 'queue', queue: 'support' }), 'queues.support.overflow.queue'],
    ['a noAgents action to someone unknown', (d) => (d.queues.support.noAgents = { action: 'transfer', to: 'nobody-here' }), 'queues.support.noAgents.to'],
    ['a noAgents action into the queue itself', (d) => (d.queues.support.noAgents = { action: 'queue', queue: 'support' }), 'queues.support.noAgents.queue'],
    ['a timeout transfer to nobody', (d) => (d.queues.support.timeout = { action: 'transfer', to: 'nobody' }), 'queues.support.timeout.to'],
    ['a call-back key that is not a phone key', (d) => (d.queues.support.callback = { key: 'x' }), 'queues.support.callback.key'],
    ['hold music that is text, not a WAV file', (d) => (d.queues.support.music = { text: 'la la la' }), 'queues.support.music'],
    ['an unknown queue setting', (d) => (d.queues.support.ringtone = 'loud'), 'queues.support'],
  ];
  for (const [name, change, field] of broken) {
    it(`refuses ${name}, naming ${field} and its line`, () => {
      const problems = problemsOf(withChange(change));
      assert.ok(problems.some((p) => p.field === field), `fields reported: ${JSON.stringify(problems)}`);
      assert.ok(problems.every((p) => typeof p.line === 'number' && p.line >= 1), 'every problem has a line');
    });
  }

  it('accepts the README\'s sample queue beside the sample front desk, with its option 1 into it', () => {
    const sample = parseJsonc(readFileSync(SAMPLE_FRONT_DESK, 'utf8'));
    sample.queues = { support: README_QUEUE };
    sample.menus.main.options['1'] = { action: 'enqueue', queue: 'support' };
    const desk = parseFrontDesk(JSON.stringify(sample));
    assert.equal(desk.queues.support!.routing, 'longest-idle');
  });

  it('allows voicemail overflow where the call is still ringing (an incoming rule)', () => {
    const desk = parseFrontDesk(withChange((d) => {
      d.menus.main.options['1'].queue = 'sales';
      d.queues.support.overflow = { action: 'voicemail', to: 'priya' };
    }));
    assert.equal(desk.queues.support!.overflow.action, 'voicemail');
  });
});
