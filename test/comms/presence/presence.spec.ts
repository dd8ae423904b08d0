// Presence reads against a tiny Graph: one user, many users in batches of at most 650, unknown people reported as
// PresenceUnknown (never an error), PascalCase values as on the wire.
import assert from 'node:assert/strict';
import { createHttpTransport, GraphError, type GraphClient, type HttpTransport } from '../../../comms/graph/index.js';
import { getPresence, getPresences, PresenceError, PRESENCE_UNKNOWN } from '../../../comms/presence/index.js';
import { TinyGraph } from '../meetings/support/tiny-graph.js';

const A = 'fa8bf3dc-eca7-46b7-bad1-db199b62afc3';
const B = '66825e03-7ef5-42da-9069-724602c31f6b';
const guid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('comms/presence (against a tiny Graph)', () => {
  let fake: TinyGraph;
  let transport: HttpTransport;
  let graph: GraphClient;

  before(async () => {
    fake = await TinyGraph.start();
    transport = createHttpTransport();
    graph = fake.client(transport);
  });
  after(async () => {
    await transport.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('reads one user (GET /communications/presences/{id}), object or value[]-wrapped as the example prints it', async () => {
    fake.on('GET', new RegExp(`^/communications/presences/${A}$`), () => ({ status: 200, body: { id: A, availability: 'Busy', activity: 'InACall' } }));
    fake.on('GET', new RegExp(`^/communications/presences/${B}$`), () => ({ status: 200, body: { value: [{ id: B, availability: 'Available', activity: 'Available' }] } }));
    assert.deepEqual(await getPresence(graph, A), { id: A, availability: 'Busy', activity: 'InACall' });
    assert.deepEqual(await getPresence(graph, B), { id: B, availability: 'Available', activity: 'Available' });
  });

  it('reports someone Graph does not know, or a malformed id, as PresenceUnknown without an error', async () => {
    assert.deepEqual(await getPresence(graph, A), { id: A, availability: PRESENCE_UNKNOWN, activity: PRESENCE_UNKNOWN });
    assert.deepEqual(await getPresence(graph, '../me'), { id: '../me', availability: PRESENCE_UNKNOWN, activity: PRESENCE_UNKNOWN });
    assert.equal(fake.requests.length, 1, 'the malformed id was not sent');
  });

  it('still fails loudly on a Graph outage, and refuses non-string ids', async () => {
    fake.on('GET', /presences/, () => ({ status: 403, body: { error: { code: 'Forbidden', message: 'Insufficient privileges' } } }));
    await assert.rejects(getPresence(graph, A), (err: unknown) => err instanceof GraphError && err.code === 'graph/forbidden');
    await assert.rejects(getPresences(graph, [42 as never]), (err: unknown) => err instanceof PresenceError && err.code === 'presence/invalid-argument');
  });

  it('batches many users at most 650 per getPresencesByUserId request and answers in the order asked', async () => {
    fake.on('POST', /^\/communications\/getPresencesByUserId$/, (req) => ({
      status: 200,
      // Answered in another order, one id in upper case, and the unknown ones left out.
      body: {
        value: [...req.body.ids]
          .reverse()
          .filter((id: string) => !id.endsWith('7'))
          .map((id: string, i: number) => ({ id: i === 0 ? id.toUpperCase() : id, availability: 'Away', activity: 'BeRightBack' })),
      },
    }));
    const ids = Array.from({ length: 1_400 }, (_, i) => guid(i));
    const result = await getPresences(graph, [...ids, ids[0]!]);
    const requests = fake.find('POST', '/communications/getPresencesByUserId');
    assert.deepEqual(requests.map((r) => r.body.ids.length), [650, 650, 100]);
    assert.equal(new Set(requests.flatMap((r) => r.body.ids)).size, 1_400, 'each id asked once');
    assert.equal(result.length, 1_400, 'one answer per distinct id');
    assert.deepEqual(result.map((p) => p.id), ids);
    assert.deepEqual(result[1], { id: guid(1), availability: 'Away', activity: 'BeRightBack' });
    assert.deepEqual(result[7], { id: guid(7), availability: PRESENCE_UNKNOWN, activity: PRESENCE_UNKNOWN });
    assert.deepEqual(result[649], { id: guid(649), availability: 'Away', activity: 'BeRightBack' }, 'the upper-cased answer matched');
  });

  it('keeps PascalCase wire values, repairs lower-case spellings, passes newer values through and drops junk', async () => {
    fake.on('POST', /getPresencesByUserId$/, () => ({
      status: 200,
      body: {
        value: [
          { id: guid(1), availability: 'DoNotDisturb', activity: 'Presenting' },
          { id: guid(2), availability: 'busy', activity: 'inacall' },
          { id: guid(3), availability: 'Focusing', activity: 'Focusing' },
          { id: guid(4), availability: '<script>', activity: null },
        ],
      },
    }));
    const result = await getPresences(graph, [guid(1), guid(2), guid(3), guid(4), 'not-a-guid']);
    assert.deepEqual(
      result.map((p) => [p.availability, p.activity]),
      [
        ['DoNotDisturb', 'Presenting'],
        ['Busy', 'InACall'],
        ['Focusing', 'Focusing'],
        [PRESENCE_UNKNOWN, PRESENCE_UNKNOWN],
        [PRESENCE_UNKNOWN, PRESENCE_UNKNOWN],
      ],
    );
    assert.deepEqual(fake.requests[0]!.body.ids, [guid(1), guid(2), guid(3), guid(4)], 'the malformed id was not sent');
  });

  it('sends nothing for an empty list', async () => {
    assert.deepEqual(await getPresences(graph, []), []);
    assert.equal(fake.requests.length, 0);
  });
});
