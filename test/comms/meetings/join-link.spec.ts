// Join-link parsing: the documented Teams forms parse; every hostile or malformed link is refused with
// meetings/invalid-join-link (security-reliability §6 and Figures row 11: ≥ 50 hostile links, 0 accepted).
import assert from 'node:assert/strict';
import { JOIN_LINK_REASONS, MeetingError, parseJoinLink, type JoinLink } from '../../../comms/meetings/index.js';

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OID = '550fae72-d251-43ec-868c-373732c2704f';
const OTHER_TID = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const THREAD = '19:meeting_NDRiZjRiMmUtODI5OC00MzRlLTk1ZWEtMGY1MDAwMDAwMDAw@thread.v2';
const THREAD_RAW = '19%3ameeting_NDRiZjRiMmUtODI5OC00MzRlLTk1ZWEtMGY1MDAwMDAwMDAw%40thread.v2';
/** Teams writes the context with lower-case escapes. */
const CTX_RAW = `%7b%22Tid%22%3a%22${TID}%22%2c%22Oid%22%3a%22${OID}%22%7d`;
const VALID = `https://teams.microsoft.com/l/meetup-join/${THREAD_RAW}/0?context=${CTX_RAW}`;

const ctx = (value: unknown) => encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
const link = (context: string, thread = THREAD_RAW, message = '0') => `https://teams.microsoft.com/l/meetup-join/${thread}/${message}?context=${context}`;

function rejects(input: unknown, options?: Parameters<typeof parseJoinLink>[1]): MeetingError {
  try {
    parseJoinLink(input as string, options);
  } catch (err) {
    assert.ok(err instanceof MeetingError, `expected a MeetingError, got ${String(err)}`);
    assert.equal(err.code, 'meetings/invalid-join-link');
    assert.ok(err.message.length > 10, 'a reason a person can read');
    return err;
  }
  assert.fail(`accepted a hostile link: ${JSON.stringify(input)}`);
}

describe('comms/meetings join-link parsing', () => {
  describe('accepts the forms Teams writes', () => {
    const cases: Array<{ name: string; input: string; options?: Parameters<typeof parseJoinLink>[1]; expect: Partial<JoinLink> & Record<string, unknown> }> = [
      { name: 'meetup-join, lower-case escapes as Teams writes them', input: VALID, expect: { kind: 'meetup-join', threadId: THREAD, messageId: '0', tenantId: TID, organizerId: OID, url: VALID } },
      {
        name: 'meetup-join, upper-case escapes (encodeURIComponent)',
        input: link(ctx({ Tid: TID, Oid: OID }), encodeURIComponent(THREAD)),
        expect: { kind: 'meetup-join', threadId: THREAD, tenantId: TID, organizerId: OID },
      },
      {
        name: 'an older @thread.skype meeting (application-post-onlinemeetings example)',
        input: link(CTX_RAW, '19%3ameeting_M2IzYzczNTItYmY3OC00MDlmLWJjMzUtYmFiMjNlOTY4MGEz%40thread.skype'),
        expect: { threadId: '19:meeting_M2IzYzczNTItYmY3OC00MDlmLWJjMzUtYmFiMjNlOTY4MGEz@thread.skype' },
      },
      {
        name: 'a channel meeting (@thread.tacv2, post id as MessageId)',
        input: link(ctx({ Tid: TID, Oid: OID, MessageId: '1603894372000' }), '19%3a1b2c3d4e5f60718293a4b5c6d7e8f901%40thread.tacv2', '1603894372000'),
        expect: { threadId: '19:1b2c3d4e5f60718293a4b5c6d7e8f901@thread.tacv2', messageId: '1603894372000', replyChainMessageId: '1603894372000' },
      },
      { name: 'a live event (IsBroadcastMeeting flag in the context)', input: link(ctx({ Tid: TID, Oid: OID, IsBroadcastMeeting: true })), expect: { tenantId: TID } },
      { name: 'extra query parameters are ignored and dropped from url', input: `${VALID}&anon=true&deeplinkId=abc123`, expect: { url: VALID } },
      { name: 'spaces around a pasted link', input: `  ${VALID} `, expect: { url: VALID } },
      { name: 'an upper-case host', input: VALID.replace('teams.microsoft.com', 'TEAMS.MICROSOFT.COM'), expect: { tenantId: TID } },
      { name: 'upper-case GUIDs are normalized', input: link(ctx({ Tid: TID.toUpperCase(), Oid: OID.toUpperCase() })), expect: { tenantId: TID, organizerId: OID } },
      { name: 'tenant on the allowlist (any case)', input: VALID, options: { allowedTenants: [OTHER_TID, TID.toUpperCase()] }, expect: { tenantId: TID } },
      { name: 'short form with passcode', input: 'https://teams.microsoft.com/meet/2414128301281?p=NzhDLMLT8b07DrkwkE', expect: { kind: 'meet', meetingId: '2414128301281', passcode: 'NzhDLMLT8b07DrkwkE' } },
      { name: 'short form without passcode', input: 'https://teams.microsoft.com/meet/2414128301281', expect: { kind: 'meet', meetingId: '2414128301281' } },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const parsed = parseJoinLink(c.input, c.options) as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(c.expect)) assert.deepEqual(parsed[key], value, key);
      });
    }

    it('a short link carries no passcode key when there is none', () => {
      assert.equal('passcode' in parseJoinLink('https://teams.microsoft.com/meet/2414128301281'), false);
    });
  });

  describe('refuses hostile and malformed links (0 accepted)', () => {
    const padded = (n: number) => ({ Tid: TID, Oid: OID, ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`k${i}${'x'.repeat(n)}`, 'y'.repeat(100)])) });
    const hostile: Array<[string, unknown, Parameters<typeof parseJoinLink>[1]?]> = [
      ['a foreign host with a Teams path', VALID.replace('teams.microsoft.com', 'evil.example')],
      ['userinfo making evil the host', VALID.replace('teams.microsoft.com', 'teams.microsoft.com@evil.example')],
      ['a Teams link inside another site\'s query', `https://evil.example/?u=${VALID}`],
      ['a Teams link in another site\'s path', `https://evil.example/${VALID}`],
      ['a suffix trick host', VALID.replace('teams.microsoft.com', 'teams.microsoft.com.evil.example')],
      ['a prefix trick host', VALID.replace('teams.microsoft.com', 'evilteams.microsoft.com')],
      ['another Microsoft subdomain', VALID.replace('teams.microsoft.com', 'x.teams.microsoft.com')],
      ['a homoglyph host (Cyrillic а)', VALID.replace('teams', 'te\u0430ms')],
      ['a punycode host', VALID.replace('teams.microsoft.com', 'xn--tems-tdd.microsoft.com')],
      ['full-width letters the URL parser would map to ASCII', VALID.replace('teams', '\uff54\uff45\uff41\uff4d\uff53')],
      ['a trailing-dot host', VALID.replace('teams.microsoft.com', 'teams.microsoft.com.')],
      ['a percent-encoded host', VALID.replace('teams.microsoft.com', 'teams%2emicrosoft.com')],
      ['an IP literal host', VALID.replace('teams.microsoft.com', '13.107.64.1')],
      ['plain http', VALID.replace('https:', 'http:')],
      ['an odd port', VALID.replace('teams.microsoft.com', 'teams.microsoft.com:444')],
      ['an explicit port', VALID.replace('teams.microsoft.com', 'teams.microsoft.com:443')],
      ['user and password', VALID.replace('https://', 'https://user:pass@')],
      ['teams.live.com (consumer meetings)', 'https://teams.live.com/meet/2414128301281?p=abc'],
      ['a javascript: URL', `javascript:alert(1)//${VALID}`],
      ['a javascript: URL naming the host', 'javascript://teams.microsoft.com/%0aalert(1)'],
      ['a data: URL', `data:text/html,${VALID}`],
      ['a protocol-relative link', VALID.replace('https:', '')],
      ['a scheme without slashes', VALID.replace('https://', 'https:')],
      ['three slashes', VALID.replace('https://', 'https:///')],
      ['a backslash after the host', VALID.replace('teams.microsoft.com/', 'teams.microsoft.com\\@evil.example/')],
      ['backslashes for slashes', VALID.replace('https://', 'https:\\\\')],
      ['a newline inside the host', VALID.replace('micro', 'micro\nsoft.').replace('soft.soft', 'soft')],
      ['a tab inside the path', VALID.replace('/l/', '/l/\t')],
      ['a trailing newline', `${VALID}\n`],
      ['a leading newline', `\n${VALID}`],
      ['a NUL character', `${VALID}\u0000`],
      ['a space inside', VALID.replace('/0?', '/0 ?')],
      ['double-encoded thread id', link(CTX_RAW, encodeURIComponent(THREAD_RAW))],
      ['double-encoded context', link(encodeURIComponent(CTX_RAW))],
      ['broken %-encoding in the thread', link(CTX_RAW, '19%3zmeeting_x%40thread.v2')],
      ['broken %-encoding in the context', link('%7b%22Tid%2')],
      ['an oversized context (> 1 KB decoded)', link(ctx(padded(60)))],
      ['a 4 KB context', link(ctx({ Tid: TID, Oid: OID, pad: 'x'.repeat(4096) }))],
      ['a whole link over 2 KB', `${VALID}&pad=${'a'.repeat(2100)}`],
      ['a non-GUID Tid', link(ctx({ Tid: 'evil', Oid: OID }))],
      ['a non-GUID Oid', link(ctx({ Tid: TID, Oid: '../../users' }))],
      ['a GUID-looking Tid with non-hex letters', link(ctx({ Tid: 'zzzzzzzz-86f1-41af-91ab-2d7cd011db47', Oid: OID }))],
      ['a nil-GUID tenant', link(ctx({ Tid: '00000000-0000-0000-0000-000000000000', Oid: OID }))],
      ['a numeric Tid', link(ctx({ Tid: 42, Oid: OID }))],
      ['no Oid', link(ctx({ Tid: TID }))],
      ['no context at all', `https://teams.microsoft.com/l/meetup-join/${THREAD_RAW}/0`],
      ['two contexts', `${VALID}&context=${ctx({ Tid: OTHER_TID, Oid: OID })}`],
      ['a context that is a JSON array', link(ctx([TID, OID]))],
      ['a context that is a JSON string', link(ctx('"hello"'))],
      ['a context that is null', link(ctx('null'))],
      ['a context that is not JSON', link(ctx(`{Tid:${TID},Oid:${OID}}`))],
      ['a nested object in the context', link(ctx({ Tid: TID, Oid: OID, x: { Tid: OTHER_TID } }))],
      ['a nested array in the context', link(ctx({ Tid: TID, Oid: OID, x: [1, 2] }))],
      ['a duplicate Tid overriding the first', link(ctx(`{"Tid":"${OTHER_TID}","Oid":"${OID}","Tid":"${TID}"}`))],
      ['a case-variant duplicate key', link(ctx(`{"Tid":"${TID}","tid":"${OTHER_TID}","Oid":"${OID}"}`))],
      ['a unicode-escaped key', link(ctx(`{"\\u0054id":"${TID}","Oid":"${OID}"}`))],
      ['a newline inside the context JSON', link(ctx(`{"Tid":"${TID}",\n"Oid":"${OID}"}`))],
      ['a context value over 128 characters', link(ctx({ Tid: TID, Oid: OID, x: 'y'.repeat(200) }))],
      ['a non-digit MessageId', link(ctx({ Tid: TID, Oid: OID, MessageId: 'abc' }))],
      ['a tenant not on the allowlist', VALID, { allowedTenants: [OTHER_TID] }],
      ['an empty allowlist', VALID, { allowedTenants: [] }],
      ['dot segments', VALID.replace('/l/meetup-join/', '/x/../l/meetup-join/')],
      ['encoded dot segments', VALID.replace('/l/meetup-join/', '/x/%2e%2e/l/meetup-join/')],
      ['a path prefix', VALID.replace('/l/meetup-join/', '/evil/l/meetup-join/')],
      ['a wrong path case', VALID.replace('/l/meetup-join/', '/L/Meetup-Join/')],
      ['an extra path segment', VALID.replace('/0?', '/0/extra?')],
      ['a trailing slash', VALID.replace('/0?', '/0/?')],
      ['a non-numeric message id', VALID.replace('/0?', '/abc?')],
      ['a thread id not starting 19:', link(CTX_RAW, '20%3ameeting_x%40thread.v2')],
      ['a thread id on a foreign domain', link(CTX_RAW, '19%3ameeting_x%40evil.example')],
      ['an encoded slash in the thread id', link(CTX_RAW, '19%3ameeting_x%2F..%40thread.v2')],
      ['a fragment', `${VALID}#frag`],
      ['too many query parameters', `${VALID}${Array.from({ length: 12 }, (_, i) => `&p${i}=1`).join('')}`],
      ['a short link with letters for the id', 'https://teams.microsoft.com/meet/abcdefghi?p=x'],
      ['a short link with script in the passcode', 'https://teams.microsoft.com/meet/2414128301281?p=%3Cscript%3E'],
      ['a short link with two passcodes', 'https://teams.microsoft.com/meet/2414128301281?p=a&p=b'],
      ['a short link with an extra segment', 'https://teams.microsoft.com/meet/2414128301281/x?p=a'],
      ['the empty string', ''],
      ['only spaces', '   '],
      ['not a string', 12345],
      ['a bare word', 'meeting'],
    ];

    for (const [name, input, options] of hostile) it(name, () => void rejects(input, options));

    it('covers at least 50 hostile links', () => assert.ok(hostile.length >= 50, `${hostile.length}`));

    it('says why in words a person understands', () => {
      assert.equal(rejects(VALID, { allowedTenants: [OTHER_TID] }).message, JOIN_LINK_REASONS.foreignTenant);
      assert.equal(rejects(VALID.replace('teams.microsoft.com', 'evil.example')).message, JOIN_LINK_REASONS.notTeams);
      assert.equal(rejects(link(CTX_RAW, encodeURIComponent(THREAD_RAW))).message, JOIN_LINK_REASONS.doubleEncoded);
    });
  });
});
