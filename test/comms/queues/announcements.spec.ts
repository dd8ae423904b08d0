// What the queue says and its estimated wait: positions, minutes rounded up, the call-back key in words, languages.
import assert from 'node:assert/strict';
import { agentWhisper, announcedMinutes, callbackTaken, DEFAULT_HANDLE_SECONDS, estimatedWaitSeconds, positionAnnouncement } from '../../../comms/queues/announcements.js';
import { count, dayStats } from '../../../comms/queues/queue-stats.js';
import { emptyCounters } from '../../../comms/queues/queue-store.js';

describe('comms/queues announcements and figures', () => {
  it('estimates the wait from the callers ahead, the agents signed in and the day\'s handle time', () => {
    const table: Array<[number, number, number | undefined, number | undefined]> = [
      [1, 2, 120, 120],
      [2, 2, 120, 120],
      [3, 2, 120, 240],
      [5, 1, 60, 300],
      [1, 1, undefined, DEFAULT_HANDLE_SECONDS],
      [4, 0, 60, undefined],
    ];
    for (const [position, agents, handle, expected] of table) {
      assert.equal(estimatedWaitSeconds({ position, agents, ...(handle !== undefined ? { averageHandleSeconds: handle } : {}) }), expected, `${position}/${agents}/${handle}`);
    }
  });

  it('announces whole minutes, rounded up, at least one', () => {
    assert.deepEqual([0, 1, 59, 60, 61, 179].map(announcedMinutes), [1, 1, 1, 1, 2, 3]);
  });

  it('says the position, the wait and the call-back key', () => {
    assert.equal(positionAnnouncement('en-US', { position: 1 })!.text, 'You are next in line.');
    assert.equal(positionAnnouncement('en-US', { position: 4, waitSeconds: 61 })!.text, 'You are number 4 in line. Your wait is about 2 minutes.');
    assert.equal(positionAnnouncement('en-GB', { waitSeconds: 30 })!.text, 'Your wait is about one minute.');
    assert.equal(positionAnnouncement('en-US', { callbackKey: '#' })!.text, 'To be called back instead, without losing your place, press the pound key.');
    assert.equal(positionAnnouncement('en-US', {}), undefined);
  });

  it('speaks the call\'s language when it knows it, English otherwise', () => {
    assert.deepEqual(positionAnnouncement('de-DE', { position: 2, callbackKey: '*' }), { text: 'Sie sind an Position 2 in der Warteschlange. Für einen Rückruf, ohne Ihren Platz zu verlieren, drücken Sie Stern.', language: 'de-DE' });
    assert.match(callbackTaken('fr-CA').text, /rappellerons/);
    assert.equal(callbackTaken('fr-CA').language, 'fr-CA');
    assert.deepEqual(positionAnnouncement('ja-JP', { position: 3 }), { text: 'You are number 3 in line.', language: 'en-US' });
    assert.equal(agentWhisper('en-US', 'Billing', 134, false).text, 'Billing queue: a caller who waited 3 minutes.');
  });

  it('counts the day: service level over answered callers, mean wait, longest wait', () => {
    let c = emptyCounters('support', '2026-12-01');
    for (const e of [{ kind: 'entered' }, { kind: 'entered' }, { kind: 'entered' }] as const) c = count(c, e);
    c = count(c, { kind: 'answered', waitedMs: 10_000, serviceLevelSeconds: 20 });
    c = count(c, { kind: 'answered', waitedMs: 40_000, serviceLevelSeconds: 20 });
    c = count(c, { kind: 'abandoned', waitedMs: 90_000 });
    const s = dayStats(c, 20);
    assert.equal(s.entered, 3);
    assert.equal(s.answered, 2);
    assert.equal(s.answeredWithinServiceLevel, 1);
    assert.equal(s.serviceLevel, 0.5);
    assert.equal(s.averageWaitSeconds, 25);
    assert.equal(s.longestWaitSeconds, 90);
    assert.equal(s.abandoned, 1);
    assert.equal(dayStats(emptyCounters('q', 'd'), 20).serviceLevel, null, 'no answers yet: no service level');
  });
});
