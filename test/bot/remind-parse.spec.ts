// Reading "remind <who> <when> <what>" from chat text, in the configured time zone.
import assert from 'node:assert/strict';
import { parseReminder, splitTrailingTime } from '../../bot/commands/remind-parse.js';

const NOW = new Date('2026-11-23T10:00:00Z'); // 10:00 UTC, 05:00 in New York

describe('bot/commands/remind-parse', () => {
  const good: Array<[string, string, string, string, string]> = [
    ['Jonas in 10 minutes to join the stand-up', 'UTC', 'Jonas', '2026-11-23T10:10:00.000Z', 'join the stand-up'],
    ['jonas@x.test in 30 seconds check the oven', 'UTC', 'jonas@x.test', '2026-11-23T10:00:30.000Z', 'check the oven'],
    ['Priya Raman in 2 h that the report is due', 'UTC', 'Priya Raman', '2026-11-23T12:00:00.000Z', 'the report is due'],
    ['Ana at 14:30 to call the bank', 'UTC', 'Ana', '2026-11-23T14:30:00.000Z', 'call the bank'],
    ['Ana at 9 to call the bank', 'UTC', 'Ana', '2026-11-24T09:00:00.000Z', 'call the bank'],
    ['Ana at 2pm about lunch', 'UTC', 'Ana', '2026-11-23T14:00:00.000Z', 'lunch'],
    ['Ana tomorrow at 08:15 to stretch', 'UTC', 'Ana', '2026-11-24T08:15:00.000Z', 'stretch'],
    ['Ana at 09:00 to stretch', 'America/New_York', 'Ana', '2026-11-23T14:00:00.000Z', 'stretch'],
  ];
  for (const [text, zone, person, at, message] of good) {
    it(`reads "${text}" (${zone})`, () => {
      const parsed = parseReminder(text, NOW, zone);
      assert.deepEqual(parsed && { person: parsed.person, at: parsed.at.toISOString(), message: parsed.message }, { person, at, message });
    });
  }

  for (const text of ['', 'Jonas', 'Jonas in ten minutes to x', 'Jonas in 10 fortnights to x', 'Jonas at 25:00 to x', 'Jonas at 13pm to x', 'in 10 minutes']) {
    it(`does not read "${text}"`, () => assert.equal(parseReminder(text, NOW, 'UTC'), undefined));
  }
});

describe('bot/commands/remind-parse splitTrailingTime', () => {
  it('takes the time off the end of a meeting subject', () => {
    assert.deepEqual(splitTrailingTime('Design review in 30 minutes', NOW, 'UTC'), { rest: 'Design review', at: new Date('2026-11-23T10:30:00Z') });
    assert.deepEqual(splitTrailingTime('Plan at 14:00', NOW, 'UTC'), { rest: 'Plan', at: new Date('2026-11-23T14:00:00Z') });
    assert.equal(splitTrailingTime('Design review', NOW, 'UTC'), undefined);
  });
});
