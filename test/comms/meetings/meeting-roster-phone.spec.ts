// Phone participants in the meeting roster: a PSTN participant (identity.phone, participant.md) shows its caller ID
// name, else only the end of its number — never the whole number to everyone in the meeting — and is marked as
// joined by phone; the bot's application instance is a bot.
import assert from 'node:assert/strict';
import type { Participant } from '../../../comms/calls/index.js';
import { MeetingRoster, type RosterDiff } from '../../../comms/meetings/index.js';
import { loadWebModule } from '../../tab/load-web-module.js';

// The tab's browser modules are bundled by esbuild, not compiled into dist/ (the tab build replaces dist/tab/web).
interface RosterModelModule {
  roleLabel(entry: RosterDiff['joined'][number]): string;
}

const KEY = '19:meeting_phone@thread.v2';

function phone(id: string, number: string, displayName?: string): Participant {
  return { id, info: { identity: { phone: { id: number, ...(displayName ? { displayName } : {}) } } }, isMuted: false, isInLobby: false, mediaStreams: [] } as unknown as Participant;
}

describe('comms/meetings: phone participants in the roster', () => {
  it('a number without caller ID shows only its last four digits; one with caller ID shows the name; both are by phone', async () => {
    const { roleLabel } = await loadWebModule<RosterModelModule>('tab/web/roster-model.ts');
    const diffs: RosterDiff[] = [];
    const roster = new MeetingRoster(KEY, { now: () => Date.UTC(2026, 11, 2), publish: (d) => diffs.push(d) });
    const instance = { id: 'bot-leg', info: { identity: { applicationInstance: { id: '5c0e7d2a-91b4-4f3e-8a6d-0b7c2e9f4a11', displayName: 'Switchboard Front Desk' } } }, isMuted: false, isInLobby: false, mediaStreams: [] } as unknown as Participant;
    roster.applyCallDiff({ joined: [phone('p-1', '+14255550143'), phone('p-2', '+14255550142', 'Dana Whitaker (mobile)'), instance] });
    const byId = new Map(diffs[0]!.joined.map((e) => [e.id, e]));
    assert.equal(byId.get('p-1')!.displayName, 'Phone ending 0143');
    assert.doesNotMatch(JSON.stringify(byId.get('p-1')), /4255550143/, 'the whole number is not shown');
    assert.equal(byId.get('p-1')!.viaPhone, true);
    assert.equal(byId.get('p-1')!.userId, undefined);
    assert.equal(byId.get('p-2')!.displayName, 'Dana Whitaker (mobile)');
    assert.equal(byId.get('p-2')!.viaPhone, true);
    assert.equal(byId.get('bot-leg')!.isBot, true);
    assert.equal(byId.get('bot-leg')!.viaPhone, undefined);
    assert.equal(roleLabel(byId.get('p-1')!), 'By phone');
  });
});
