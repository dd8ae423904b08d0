// Deciding incoming calls: rules in order, groups, single callers, business hours in the desk's time zone, default.
import assert from 'node:assert/strict';
import { compileFrontDesk, decideIncoming, isOpen, IvrError, parseFrontDesk, type PersonIdentity } from '../../../comms/ivr/index.js';

const DIRECTORY: Record<string, PersonIdentity> = {
  'ana@x.test': { userId: 'aaaaaaaa-0000-0000-0000-000000000001', displayName: 'Ana' },
  'ben@x.test': { userId: 'aaaaaaaa-0000-0000-0000-000000000002', displayName: 'Ben' },
  'cy@x.test': { userId: 'aaaaaaaa-0000-0000-0000-000000000003', displayName: 'Cy' },
  'desk@x.test': { userId: 'aaaaaaaa-0000-0000-0000-000000000004', displayName: 'Desk' },
};
const resolve = async (ref: string) => DIRECTORY[ref];

const DESK = parseFrontDesk(
  JSON.stringify({
    timezone: 'America/New_York',
    hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
    people: { reception: 'desk@x.test' },
    groups: { spam: ['ana@x.test', '+15550100199'], vip: ['ben@x.test'] },
    rules: [
      { name: 'spam', when: { callerIn: 'spam' }, then: { action: 'reject', reason: 'busy' } },
      { name: 'vip', when: { callerIn: ['vip'] }, then: { action: 'redirect', to: ['reception', 'cy@x.test'], timeoutSeconds: 20 } },
      { name: 'night', when: { hours: 'closed' }, then: { action: 'redirect', to: 'reception', voicemail: true } },
    ],
    default: { action: 'answer', menu: 'main' },
    menus: { main: { prompt: { text: 'hi' }, options: { '1': { action: 'transfer', to: 'cy@x.test' } } } },
  }),
);

// Wednesday 2026-11-25: 15:00 UTC = 10:00 in New York (open); 23:30 UTC = 18:30 (closed).
const OPEN = new Date('2026-11-25T15:00:00Z');
const CLOSED = new Date('2026-11-25T23:30:00Z');
const SATURDAY_NOON = new Date('2026-11-28T17:00:00Z');

describe('comms/ivr front-desk rules', () => {
  const cases: Array<[string, PersonIdentity, Date, string, string]> = [
    ['a spam caller by user id', { userId: 'AAAAAAAA-0000-0000-0000-000000000001' }, OPEN, 'spam', 'reject'],
    ['a spam caller by phone, even after hours', { phone: '+15550100199' }, CLOSED, 'spam', 'reject'],
    ['a VIP', { userId: DIRECTORY['ben@x.test']!.userId }, OPEN, 'vip', 'redirect'],
    ['anyone after hours', { userId: DIRECTORY['cy@x.test']!.userId }, CLOSED, 'night', 'redirect'],
    ['anyone on a Saturday', { phone: '+15550100100' }, SATURDAY_NOON, 'night', 'redirect'],
    ['anyone in hours', { userId: DIRECTORY['cy@x.test']!.userId }, OPEN, 'default', 'answer'],
    ['an anonymous caller in hours', {}, OPEN, 'default', 'answer'],
  ];
  for (const [name, caller, now, rule, action] of cases) {
    it(`routes ${name} by rule "${rule}" to ${action}`, async () => {
      const decision = decideIncoming(await compileFrontDesk(DESK, resolve), caller, now);
      assert.equal(decision.rule, rule);
      assert.equal(decision.action, action);
    });
  }

  it('redirects a VIP to every target with the timeout, resolving aliases', async () => {
    const decision = decideIncoming(await compileFrontDesk(DESK, resolve), { userId: DIRECTORY['ben@x.test']!.userId }, OPEN);
    assert.deepEqual(decision, { rule: 'vip', action: 'redirect', targets: [DIRECTORY['desk@x.test'], DIRECTORY['cy@x.test']], voicemail: false, timeoutSeconds: 20 });
  });

  it('sends after-hours callers to voicemail', async () => {
    const decision = decideIncoming(await compileFrontDesk(DESK, resolve), {}, CLOSED);
    assert.ok(decision.action === 'redirect' && decision.voicemail);
  });

  it('reads business hours in the front desk time zone', () => {
    assert.equal(isOpen(DESK, OPEN), true);
    assert.equal(isOpen(DESK, CLOSED), false);
    assert.equal(isOpen(DESK, new Date('2026-11-25T13:59:00Z')), false, '08:59 in New York');
    assert.equal(isOpen(DESK, new Date('2026-11-25T14:00:00Z')), true, '09:00 in New York');
  });

  it('refuses a desk naming someone the directory does not know', async () => {
    const unknown = parseFrontDesk(JSON.stringify({ groups: { g: ['ghost@x.test'] }, default: { action: 'reject' } }));
    await assert.rejects(compileFrontDesk(unknown, resolve), (err: IvrError) => err.code === 'ivr/unknown-person' && /ghost@x\.test/.test(err.problems[0]!.message));
  });
});
