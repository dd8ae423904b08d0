// The same reminder twice (issue 18, item 7): same person, same time, same words is refused with a message that names
// the one already scheduled — one reminder, one call — whether it is sent again later or twice at once.
import assert from 'node:assert/strict';
import { ReminderError, ReminderService } from '../../comms/reminders/index.js';
import type { Store } from '../../comms/store/index.js';
import { botHarness, PEOPLE, repliesTo, type Harness } from './bot-harness.js';

const NOW = new Date('2026-12-01T10:00:00Z');

function reminderService(store: Store): ReminderService {
  return new ReminderService({
    calls: {} as never,
    prompts: {} as never,
    bus: { publish: () => undefined, subscribe: () => () => undefined } as never,
    store,
    logger: { info: () => undefined, warn: () => undefined },
    now: () => NOW,
  });
}

describe('bot: duplicate reminders', () => {
  let harness: Harness;
  let reminders: ReminderService;
  beforeEach(() => {
    harness = botHarness();
    reminders = reminderService(harness.store);
    (harness.services as { reminders: ReminderService }).reminders = reminders;
  });
  afterEach(() => harness.close());

  const pending = async () => reminders.list({ pendingOnly: true });

  it('"remind Priya … " sent twice schedules one reminder; the second answer says it already exists', async () => {
    const [first] = await repliesTo(harness, 'remind Priya Raman in 10 minutes to send the report');
    assert.ok(first?.attachments?.length, 'the first gets the reminder card');
    const [second] = await repliesTo(harness, 'remind Priya Raman in 10 minutes to Send the report.');
    assert.match(second?.text ?? '', /Priya Raman already has that reminder at .*10:10.*"send the report".*won't call twice/);
    assert.equal((await pending()).length, 1);
  });

  it('a different message, person or time is a new reminder', async () => {
    await repliesTo(harness, 'remind Priya Raman in 10 minutes to send the report');
    await repliesTo(harness, 'remind Priya Raman in 10 minutes to book the room');
    await repliesTo(harness, 'remind Jonas Lindqvist in 10 minutes to send the report');
    await repliesTo(harness, 'remind Priya Raman in 30 minutes to send the report');
    assert.equal((await pending()).length, 4);
  });

  it('once the first is over (cancelled), the same reminder can be set again', async () => {
    await repliesTo(harness, 'remind Priya Raman in 10 minutes to send the report');
    await reminders.cancel((await pending())[0]!.id);
    const [again] = await repliesTo(harness, 'remind Priya Raman in 10 minutes to send the report');
    assert.ok(again?.attachments?.length, 'a new reminder card');
    assert.equal((await pending()).length, 1);
  });

  it('two identical requests at the same moment make one reminder (the other is refused as a duplicate)', async () => {
    const input = { person: { userId: PEOPLE[2]!.id, displayName: 'Priya Raman' }, message: 'send the report', at: new Date(NOW.getTime() + 600_000) };
    const results = await Promise.allSettled([reminders.schedule(input), reminders.schedule(input), reminders.schedule(input)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof ReminderError && r.reason.code === 'reminders/duplicate', String(r.reason));
    }
    assert.equal((await pending()).length, 1);
  });
});
