// The side panel's own logic, run in node (bundled from tab/web by esbuild): applying diffs in version order (stale
// ones ignored, a gap reported), grouping and searching the roster, the screen-reader summary of a change, and the
// SSE parser the live stream is read with.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadWebModule } from './load-web-module.js';

type Entry = { id: string; userId?: string; displayName: string; isMuted: boolean; role?: string; screenSharing: boolean; inLobby: boolean; isBot: boolean; joinedAt: string };
interface RosterModule {
  RosterModel: new (s: { version: number; entries: Entry[] }) => {
    version: number;
    entries: Map<string, Entry>;
    sorts: number;
    apply(d: unknown): string;
    items(query: string, roles?: Record<string, string>): Array<{ kind: string; label?: string; count?: number; entry?: Entry }>;
  };
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

  it('keeps the grouped, sorted people between diffs exactly as a fresh grouping and sort would give them', () => {
    const names = ['Ada', 'ada', 'Åsa', 'Bo', 'bo', 'Zoë', 'Zoe', 'Mateo 2', 'Mateo 10', 'Priya'];
    const fieldsArb = fc.record(
      {
        displayName: fc.constantFrom(...names),
        isMuted: fc.boolean(),
        role: fc.constantFrom(null, 'Presenter', 'Attendee', 'organizer'),
        inLobby: fc.boolean(),
        isBot: fc.boolean(),
        userId: fc.constantFrom(null, 'u1', 'u2'),
        handRaised: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const idArb = fc.integer({ min: 0, max: 14 }).map((n) => `p${n}`);
    const entryArb = fc.record({ id: idArb, displayName: fc.constantFrom(...names), userId: fc.constantFrom(undefined, 'u1', 'u2'), inLobby: fc.boolean(), role: fc.constantFrom(undefined, 'Presenter') });
    const diffArb = fc.record({
      joined: fc.array(entryArb, { maxLength: 2 }),
      left: fc.array(idArb, { maxLength: 2 }),
      changed: fc.array(fc.record({ id: idArb, fields: fieldsArb }), { maxLength: 3 }),
    });
    const clean = (e: { id: string; displayName: string; userId?: string | undefined; inLobby: boolean; role?: string | undefined }) =>
      person(e.id, e.displayName, { inLobby: e.inLobby, ...(e.userId ? { userId: e.userId } : {}), ...(e.role ? { role: e.role } : {}) });
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 10 }), fc.array(diffArb, { minLength: 1, maxLength: 8 }), fc.constantFrom('', 'a', 'mateo'), (start, diffs, query) => {
        const roles = { u2: 'organizer' };
        const model = new roster.RosterModel({ version: 0, entries: start.map(clean) });
        assert.deepEqual(model.items(query, roles), roster.rosterItems(model.entries.values(), query, roles));
        diffs.forEach((d, i) => {
          const left = d.left.filter((id) => model.entries.has(id));
          const joined = d.joined.filter((e) => !left.includes(e.id)).map(clean);
          model.apply({ version: i + 1, joined, left: left.map((id) => ({ id, displayName: 'x' })), changed: d.changed, count: 0 });
          assert.deepEqual(model.items(query, roles), roster.rosterItems(model.entries.values(), query, roles), `after diff ${i + 1}`);
        });
      }),
      { numRuns: 400 },
    );

    // One mute in a big roster moves one person: nothing is sorted again.
    const big = new roster.RosterModel({ version: 0, entries: Array.from({ length: 2000 }, (_v, i) => person(`p${i}`, `Person ${i}`)) });
    big.items('');
    assert.equal(big.sorts, 1);
    big.apply({ version: 1, joined: [], left: [], changed: [{ id: 'p7', fields: { isMuted: true } }], count: 2000 });
    const items = big.items('');
    assert.equal(big.sorts, 1);
    assert.equal(items.find((i) => i.entry?.id === 'p7')!.entry!.isMuted, true);
    assert.deepEqual(items, roster.rosterItems(big.entries.values(), ''));
    big.items('person 1');
    assert.equal(big.sorts, 2, 'another search groups and sorts afresh');
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
