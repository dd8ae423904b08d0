// The side panel's own logic, run in node (bundled from tab/web by esbuild): applying diffs in version order (stale
// ones ignored, a gap reported), grouping and searching the roster, the screen-reader summary of a change, and the
// SSE parser the live stream is read with.
import assert from 'node:assert/strict';
import { loadWebModule } from './load-web-module.js';

type Entry = { id: string; userId?: string; displayName: string; isMuted: boolean; role?: string; screenSharing: boolean; inLobby: boolean; isBot: boolean; joinedAt: string };
interface RosterModule {
  RosterModel: new (s: { version: number; entries: Entry[] }) => { version: number; entries: Map<string, Entry>; apply(d: unknown): string };
  rosterItems(entries: Iterable<Entry>, query: string, roles?: Record<string, string>): Array<{ kind: string; label?: string; count?: number; entry?: Entry }>;
  rosterCounts(entries: Iterable<Entry>): { people: number; muted: number; lobby: number; sharing: number };
  describeDiff(diff: unknown, before: Map<string, Entry>): string;
}
interface SseModule {
  SseParser: new () => { push(text: string): Array<{ id?: string; event: string; data: string }> };
}

const person = (id: string, displayName: string, extra: Partial<Entry> = {}): Entry => ({ id, displayName, isMuted: false, screenSharing: false, inLobby: false, isBot: false, joinedAt: '', ...extra });

describe('tab/web roster model and SSE parser', () => {
  let roster: RosterModule;
  let sse: SseModule;
  before(async () => {
    roster = await loadWebModule<RosterModule>('tab/web/roster-model.ts');
    sse = await loadWebModule<SseModule>('tab/web/sse-parser.ts');
  });

  it('applies diffs in order; a stale one is ignored, a skipped version is a gap; cleared fields go', () => {
    const model = new roster.RosterModel({ version: 4, entries: [person('a', 'Amara', { role: 'Presenter' }), person('b', 'Bo')] });
    assert.equal(model.apply({ version: 4, joined: [person('x', 'X')], left: [], changed: [], count: 3 }), 'stale');
    assert.equal(model.apply({ version: 5, joined: [person('c', 'Cy')], left: [{ id: 'b', displayName: 'Bo' }], changed: [{ id: 'a', fields: { isMuted: true, role: null } }], count: 2 }), 'applied');
    assert.deepEqual([...model.entries.keys()].sort(), ['a', 'c']);
    assert.equal(model.entries.get('a')!.isMuted, true);
    assert.equal('role' in model.entries.get('a')!, false);
    assert.equal(model.apply({ version: 7, joined: [], left: [], changed: [], count: 2 }), 'gap');
    assert.equal(model.version, 5, 'a gap changes nothing');
  });

  it('groups leaders, attendees, lobby; sorts by name; searches without case or accents; bots left out; invitation roles fill in', () => {
    const entries = [
      person('1', 'Zoë Adams', { userId: 'u1' }),
      person('2', 'anna Berg', { role: 'Attendee' }),
      person('3', 'Mateo', { userId: 'u3' }),
      person('4', 'Lobby Larry', { inLobby: true, role: 'Presenter' }),
      person('5', 'Switchboard', { isBot: true }),
      person('6', 'Priya', { role: 'Presenter' }),
    ];
    const items = roster.rosterItems(entries, '', { u3: 'organizer' });
    assert.deepEqual(items.map((i) => (i.kind === 'header' ? `[${i.label} ${i.count}]` : i.entry!.displayName)), [
      '[Organizers and presenters 2]', 'Mateo', 'Priya',
      '[Attendees 2]', 'anna Berg', 'Zoë Adams',
      '[In the lobby 1]', 'Lobby Larry',
    ]);
    assert.deepEqual(roster.rosterItems(entries, 'ZOE').filter((i) => i.kind === 'person').map((i) => i.entry!.displayName), ['Zoë Adams']);
    assert.deepEqual(roster.rosterItems(entries, 'nobody'), []);
    assert.deepEqual(roster.rosterCounts(entries), { people: 5, muted: 0, lobby: 1, sharing: 0 });
  });

  it('summarizes a change for screen readers; many joiners are counted, bots never named', () => {
    const before = new Map([['a', person('a', 'Amara')], ['b', person('b', 'Bo')], ['bot', person('bot', 'Switchboard', { isBot: true })]]);
    assert.equal(roster.describeDiff({ version: 1, joined: [person('c', 'Cy')], left: [{ id: 'b', displayName: 'Bo' }], changed: [{ id: 'a', fields: { isMuted: true } }], count: 2 }, before), 'Cy joined. Bo left. Amara muted.');
    const many = Array.from({ length: 5 }, (_v, i) => person(`n${i}`, `N${i}`));
    assert.equal(roster.describeDiff({ version: 1, joined: many, left: [{ id: 'bot', displayName: 'Switchboard' }], changed: [], count: 7 }, before), '5 people joined.');
  });

  it('parses SSE split anywhere: ids, event names, multi-line data, comments, CRLF', () => {
    const text = ': connected\r\n\r\nid: t.1\nevent: roster\ndata: {"a":\ndata: 1}\n\nevent: reset\ndata: {}\n\n: heartbeat\n\n';
    for (const size of [1, 2, 5, text.length]) {
      const parser = new sse.SseParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      assert.deepEqual(out, [
        { id: 't.1', event: 'roster', data: '{"a":\n1}' },
        { event: 'reset', data: '{}' },
      ], `chunks of ${size}`);
    }
  });
});
