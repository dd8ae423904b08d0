// Which free agents are offered the next caller: one table per routing method, with skipped agents, round-robin's
// memory and the restart when everyone free has been tried; presence that allows an offer.
import assert from 'node:assert/strict';
import { chooseAgents, presenceAllowsOffer, presenceInCall, type RoutingInput } from '../../../comms/queues/routing.js';

const ORDER = ['ana', 'ben', 'cy', 'dee'];
const free = (...ids: string[]) => ids.map((userId, i) => ({ userId, idleSince: `2026-12-01T10:0${i}:00.000Z` }));

describe('comms/queues routing', () => {
  const cases: Array<[string, Partial<RoutingInput> & Pick<RoutingInput, 'method'>, string[], boolean]> = [
    ['attendant rings every free agent, in the configured order', { method: 'attendant', free: free('cy', 'ana', 'dee') }, ['ana', 'cy', 'dee'], false],
    ['attendant leaves out who already missed this caller', { method: 'attendant', free: free('ana', 'ben'), skipped: ['ana'] }, ['ben'], false],
    ['serial rings the first free agent in order', { method: 'serial', free: free('dee', 'ben', 'cy') }, ['ben'], false],
    ['serial moves past an agent who missed the caller', { method: 'serial', free: free('ana', 'ben'), skipped: ['ana'] }, ['ben'], false],
    ['serial starts over when every free agent missed the caller', { method: 'serial', free: free('ana', 'ben'), skipped: ['ana', 'ben'] }, ['ana'], true],
    ['skipped ids match whatever their case', { method: 'serial', free: free('ana', 'ben'), skipped: ['ANA'] }, ['ben'], false],
    ['round-robin takes the next agent after the last one offered', { method: 'round-robin', free: free('ana', 'ben', 'cy', 'dee'), lastAgent: 'ben' }, ['cy'], false],
    ['round-robin wraps around to the first', { method: 'round-robin', free: free('ana', 'ben', 'dee'), lastAgent: 'dee' }, ['ana'], false],
    ['round-robin skips busy agents after the last one', { method: 'round-robin', free: free('ana', 'dee'), lastAgent: 'ben' }, ['dee'], false],
    ['round-robin with no history starts at the top', { method: 'round-robin', free: free('cy', 'ben') }, ['ben'], false],
    ['round-robin after an agent no longer in the queue starts at the top', { method: 'round-robin', free: free('cy', 'ben'), lastAgent: 'zed' }, ['ben'], false],
    ['longest-idle picks who has been free the longest', { method: 'longest-idle', free: [{ userId: 'ana', idleSince: '2026-12-01T10:05:00.000Z' }, { userId: 'cy', idleSince: '2026-12-01T09:00:00.000Z' }] }, ['cy'], false],
    ['longest-idle breaks ties by the configured order', { method: 'longest-idle', free: [{ userId: 'dee', idleSince: '2026-12-01T09:00:00.000Z' }, { userId: 'ben', idleSince: '2026-12-01T09:00:00.000Z' }] }, ['ben'], false],
    ['nobody free: nobody rung', { method: 'attendant', free: [] }, [], false],
  ];
  for (const [name, input, agents, restarted] of cases) {
    it(name, () => {
      const choice = chooseAgents({ order: ORDER, skipped: [], free: [], ...input });
      assert.deepEqual(choice.agents, agents);
      assert.equal(choice.restarted, restarted);
    });
  }

  it('offers only to Available agents (idle-but-available too); Busy, in a call, Do not disturb, Away and Offline are skipped', () => {
    const table: Array<[string | undefined, boolean]> = [
      ['Available', true], ['AvailableIdle', true], ['Busy', false], ['BusyIdle', false], ['DoNotDisturb', false], ['Away', false], ['BeRightBack', false], ['Offline', false], ['PresenceUnknown', false], [undefined, false],
    ];
    for (const [availability, allowed] of table) assert.equal(presenceAllowsOffer(availability), allowed, String(availability));
  });

  it('tells a person in a call or meeting from one who is merely busy', () => {
    assert.equal(presenceInCall({ availability: 'Busy', activity: 'InACall' }), true);
    assert.equal(presenceInCall({ availability: 'Busy', activity: 'InAConferenceCall' }), true);
    assert.equal(presenceInCall({ availability: 'Busy', activity: 'Busy' }), false);
    assert.equal(presenceInCall({ availability: 'Available', activity: 'Available' }), false);
    assert.equal(presenceInCall(undefined), false);
  });
});
