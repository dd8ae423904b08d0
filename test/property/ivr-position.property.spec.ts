// Property: an IVR menu walk (keys, wrong keys, silences) interrupted by app restarts at random points — the engine
// dropped, the stored position read back through JSON, a new engine resuming it — ends where the uninterrupted walk
// ends: same menu, same way back (stack), same outcome (transfer target, hang-up, messages recorded). The engine runs
// against a small in-memory call service and a simulated clock; fast-check generates the walks and restart points and
// shrinks a failure to the shortest walk that breaks it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CallService } from '../../comms/calls/index.js';
import { compileFrontDesk, MenuEngine, parseFrontDesk, type CompiledFrontDesk, type IvrPosition } from '../../comms/ivr/index.js';
import { EventBus } from '../../comms/store/index.js';
import { FakeClock } from '../comms/calls/support/fake-clock.js';

const CALL = 'call-ivr';

/** Three levels deep, every kind of option, fallbacks that transfer, go back and hang up. */
const DESK = parseFrontDesk(
  JSON.stringify({
    timezone: 'UTC',
    hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' }],
    people: { reception: 'amara.okafor@switchboard.test', agent: 'priya.raman@switchboard.test', sales: '+15550100123' },
    default: { action: 'answer', menu: 'main' },
    menus: {
      main: {
        prompt: { text: 'Main menu.' },
        retryPrompt: { text: 'Sorry. Main menu.' },
        options: {
          '1': { action: 'transfer', to: 'agent', prompt: { text: 'Connecting.' } },
          '2': { action: 'record', prompt: { text: 'After the tone.' }, maxSeconds: 30, then: { action: 'hangup', prompt: { text: 'Thanks.' } } },
          '3': { action: 'menu', menu: 'hours' },
          '4': { action: 'menu', menu: 'sales' },
          '9': { action: 'repeat' },
        },
        timeoutSeconds: 8,
        maxRetries: 2,
        fallback: { action: 'transfer', to: 'reception' },
      },
      hours: {
        prompt: { text: 'Open all day.' },
        options: { '*': { action: 'back' }, '5': { action: 'menu', menu: 'sales' }, '9': { action: 'repeat' } },
        timeoutSeconds: 6,
        maxRetries: 1,
        fallback: { action: 'back' },
      },
      sales: {
        prompt: { text: 'Sales.' },
        options: { '1': { action: 'transfer', to: 'sales' }, '*': { action: 'back' }, '0': { action: 'hangup' } },
        timeoutSeconds: 5,
        maxRetries: 0,
        fallback: { action: 'hangup' },
      },
    },
  }),
);
const TONE_OF: Record<string, string> = { '0': 'tone0', '1': 'tone1', '2': 'tone2', '3': 'tone3', '4': 'tone4', '5': 'tone5', '7': 'tone7', '9': 'tone9', '*': 'star', '#': 'pound' };

type Input = { kind: 'key'; key: string } | { kind: 'silence' };
const inputArb: fc.Arbitrary<Input> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('key' as const), key: fc.constantFrom(...Object.keys(TONE_OF)) }), weight: 4 },
  { arbitrary: fc.constant<Input>({ kind: 'silence' }), weight: 1 },
);

/** Calls as the store keeps them: JSON, so a restart reads back exactly what was saved. */
class MemoryCalls {
  private stored = '';
  readonly outcomes: string[] = [];

  constructor() {
    // A call to the bot's application instance (its phone number): Graph transfers such a call to a phone number too.
    this.stored = JSON.stringify({ id: CALL, state: 'established', direction: 'incoming', targets: [{ identity: { applicationInstance: { id: '5c0e7d2a-91b4-4f3e-8a6d-0b7c2e9f4a11' } } }], purpose: 'front-desk', context: {}, participants: [], toneHistory: [] });
  }

  get position(): IvrPosition | undefined {
    return (JSON.parse(this.stored) as { context: { ivr?: IvrPosition } }).context.ivr;
  }

  asService(): CallService {
    const read = () => JSON.parse(this.stored) as Record<string, unknown> & { context: Record<string, unknown> };
    const service = {
      getCall: async () => read(),
      getCallRecord: async () => read(),
      listCalls: async () => [read()].filter((c) => c.state !== 'terminated'),
      listCallRecords: async () => [read()].filter((c) => c.state !== 'terminated'),
      updateContext: async (_id: string, patch: { purpose?: string; context?: Record<string, unknown> }) => {
        const call = read();
        if (patch.purpose) call.purpose = patch.purpose;
        call.context = { ...call.context, ...patch.context };
        this.stored = JSON.stringify(call);
        return call;
      },
      subscribeToTone: async () => ({}),
      cancelMediaProcessing: async () => ({}),
      playPrompt: async () => ({}),
      recordResponse: async (_id: string, input: { clientContext?: string }) => {
        this.outcomes.push(`recorded ${input.clientContext}`);
        return { audio: Buffer.alloc(16), contentType: 'audio/wav' };
      },
      transfer: async (_id: string, input: { target: { kind: string; id?: string; number?: string } }) => {
        this.outcomes.push(`transfer ${input.target.id ?? input.target.number}`);
        this.end();
      },
      hangUp: async () => {
        this.outcomes.push('hang up');
        this.end();
        return read();
      },
    };
    return service as unknown as CallService;
  }

  private end(): void {
    const call = JSON.parse(this.stored) as Record<string, unknown>;
    call.state = 'terminated';
    this.stored = JSON.stringify(call);
  }
}

let compiled: CompiledFrontDesk;

interface WalkResult {
  position: Pick<IvrPosition, 'menu' | 'stack' | 'phase'> | undefined;
  outcomes: string[];
  restartsTaken: number;
}

async function walk(inputs: Input[], restartBefore: Set<number>, forced = false): Promise<WalkResult> {
  const calls = new MemoryCalls();
  const service = calls.asService();
  const bus = new EventBus();
  const clock = new FakeClock();
  const make = () =>
    new MenuEngine({
      calls: service,
      bus,
      frontDesk: () => compiled,
      prompt: async () => ({ uri: 'https://bot.contoso.com/prompts/p.wav', resourceId: 'p', fallback: false }),
      logger: { info: () => undefined, warn: () => undefined },
      timers: clock,
    });
  let engine = make();
  const settle = async () => {
    for (let i = 0; i < 5; i += 1) {
      await engine.idle();
      await new Promise((r) => setImmediate(r));
    }
  };
  engine.start();
  await engine.attach(CALL, 'main');
  bus.publish({ type: 'call.state', callId: CALL, state: 'established', previous: 'establishing' });
  await settle();
  let restartsTaken = 0;
  for (const [i, input] of inputs.entries()) {
    if (calls.position?.phase === 'done') break;
    // A restart while wrong keys or silences are being counted resets the count (resume starts the menu over):
    // see the known-behaviour test below. Elsewhere the restart happens where it was drawn.
    if (restartBefore.has(i) && (forced || calls.position?.retries === 0)) {
      engine.stop();
      engine = make();
      engine.start();
      await engine.resume();
      await settle();
      restartsTaken += 1;
    }
    if (input.kind === 'key') bus.publish({ type: 'call.tone', callId: CALL, tone: TONE_OF[input.key]!, sequenceId: i + 1 });
    else await clock.advance(10_000);
    await settle();
  }
  engine.stop();
  const position = calls.position;
  return { position: position && { menu: position.menu, stack: position.stack, phase: position.phase }, outcomes: calls.outcomes, restartsTaken };
}

describe('property: an IVR walk resumed after restarts ends where the uninterrupted walk ends', () => {
  before(async () => {
    compiled = await compileFrontDesk(DESK, async (ref) =>
      ref.startsWith('+') ? { phone: ref, displayName: ref } : { userId: `id-${ref}`, displayName: ref },
    );
  });

  it('random walks with random restarts (200 runs)', async () => {
    let restarts = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(inputArb, { minLength: 1, maxLength: 14 }), fc.array(fc.nat({ max: 13 }), { minLength: 1, maxLength: 10 }), async (inputs, at) => {
        const straight = await walk(inputs, new Set());
        const interrupted = await walk(inputs, new Set(at));
        restarts += interrupted.restartsTaken;
        assert.deepEqual(interrupted.position, straight.position);
        assert.deepEqual(interrupted.outcomes, straight.outcomes);
      }),
      { numRuns: 200, seed: 20261201 },
    );
    assert.ok(restarts > 100, `the runs actually restarted (${restarts} restarts)`);
  });

  it('walks end as the menus say: e.g. 4 then 1 transfers to sales, 3 then * then 1 to the agent', async () => {
    assert.deepEqual((await walk([{ kind: 'key', key: '4' }, { kind: 'key', key: '1' }], new Set())).outcomes, ['transfer +15550100123']);
    const back = await walk([{ kind: 'key', key: '3' }, { kind: 'key', key: '*' }, { kind: 'key', key: '1' }], new Set([1, 2]));
    assert.deepEqual(back.outcomes, ['transfer id-priya.raman@switchboard.test']);
    assert.equal(back.restartsTaken, 2);
    const deep = await walk([{ kind: 'key', key: '3' }, { kind: 'key', key: '5' }], new Set([1]));
    assert.deepEqual(deep.position, { menu: 'sales', stack: ['main', 'hours'], phase: 'waiting' });
  });

  it('a restart keeps the menu\'s retry count: the caller gets no extra retries, and the fallback comes as without it', async () => {
    const silences: Input[] = [{ kind: 'silence' }, { kind: 'silence' }, { kind: 'silence' }];
    assert.deepEqual((await walk(silences, new Set())).outcomes, ['transfer id-amara.okafor@switchboard.test'], 'two retries, then the fallback');
    // Same silences with a restart after the first one (forced here, skipped by the property above).
    const restarted = await walk(silences, new Set([1]), true);
    assert.equal(restarted.restartsTaken, 1);
    assert.deepEqual(restarted.outcomes, ['transfer id-amara.okafor@switchboard.test'], 'the stored retry count carries over the restart');
  });
});
