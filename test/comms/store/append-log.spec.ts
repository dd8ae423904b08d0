// The roster log: records are appended and read back as they were given, a record marked done is not offered again
// after a reopen, a torn entry at the end (the process died while writing) is cut off, and a segment whose records are
// all done is deleted once it is big enough to be replaced.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAppendLog } from '../../../comms/store/append-log.js';

describe('comms/store: append-only roster log', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'append-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a record back byte for byte; after a reopen offers the ones not done, oldest first, with their headers', () => {
    const log = openAppendLog(dir);
    const payload = Buffer.from('{"value":[{"résumé":"\n"}]}');
    const a = log.append({ key: 'a', n: 1 }, payload);
    const b = log.append({ key: 'b', n: 2 }, Buffer.from('{}'));
    const c = log.append({ key: 'c', n: 3 }, Buffer.alloc(0));
    assert.deepEqual(log.read(a), payload);
    log.done(b);
    assert.equal(log.read(b), undefined, 'done: gone');
    log.done(b); // twice is harmless
    log.close();

    const again = openAppendLog(dir);
    const left = again.leftovers<{ key: string }>();
    assert.deepEqual(left.map((r) => r.header.key), ['a', 'c']);
    assert.deepEqual(again.read(left[0]!.ref), payload);
    assert.deepEqual(again.read(left[1]!.ref), Buffer.alloc(0));
    assert.deepEqual(again.leftovers(), [], 'offered once');
    assert.ok(c.offset > a.offset);
    again.close();
  });

  it('cuts off a torn entry at the end, keeping every whole record before it', () => {
    const log = openAppendLog(dir);
    log.append({ key: 'whole' }, Buffer.from('{"a":1}'));
    log.close();
    const [file] = readdirSync(dir);
    const whole = statSync(join(dir, file!)).size;
    appendFileSync(join(dir, file!), 'R 12 400\n{"key":"torn"}{"a":');
    const again = openAppendLog(dir);
    assert.deepEqual(again.leftovers<{ key: string }>().map((r) => r.header.key), ['whole']);
    assert.equal(statSync(join(dir, file!)).size, whole, 'the torn end is cut off');
    const next = again.append({ key: 'next' }, Buffer.from('{}'));
    again.close();
    const third = openAppendLog(dir);
    assert.deepEqual(third.leftovers<{ key: string }>().map((r) => r.header.key), ['whole', 'next']);
    assert.equal(next.segment > 0, true);
    third.close();
  });

  it('deletes a segment once it is full and all its records are done; after that a reopen offers nothing', () => {
    const log = openAppendLog(dir, { segmentBytes: 1024 });
    const refs = Array.from({ length: 4 }, (_, i) => log.append({ key: `k${i}` }, Buffer.alloc(200, 0x20)));
    assert.equal(readdirSync(dir).length, 1);
    for (const ref of refs.slice(0, 3)) log.done(ref);
    assert.equal(readdirSync(dir).length, 1, 'one record still outstanding: kept');
    log.done(refs[3]!);
    const [first] = readdirSync(dir);
    assert.ok(statSync(join(dir, first!)).size > 0, 'all done but not full yet: written on');
    const last = log.append({ key: 'k4' }, Buffer.alloc(200, 0x20));
    assert.equal(last.segment, refs[0]!.segment);
    log.done(last);
    const after = readdirSync(dir);
    assert.equal(after.length, 1, 'full and all done: replaced by a fresh segment');
    assert.notEqual(after[0], first);
    assert.equal(statSync(join(dir, after[0]!)).size, 0);
    const later = log.append({ key: 'later' }, Buffer.from('{}'));
    assert.ok(later.segment > refs[0]!.segment);
    log.done(later);
    log.close();
    const again = openAppendLog(dir);
    assert.deepEqual(again.leftovers(), []);
    again.close();
  });

  it('under a steady stream (always some record outstanding) moves on to new segments and deletes the old ones as they are done', () => {
    const log = openAppendLog(dir, { segmentBytes: 1024 });
    let previous = log.append({ key: 'k0' }, Buffer.alloc(300, 0x20));
    let most = 0;
    for (let i = 1; i < 50; i++) {
      const next = log.append({ key: `k${i}` }, Buffer.alloc(300, 0x20));
      log.done(previous);
      previous = next;
      most = Math.max(most, readdirSync(dir).length);
    }
    assert.ok(most <= 2, `at most two segments at a time (saw ${most})`);
    assert.ok(previous.segment >= 10, 'it moved on');
    log.close();
    const again = openAppendLog(dir, { segmentBytes: 1024 });
    assert.deepEqual(again.leftovers<{ key: string }>().map((r) => r.header.key), ['k49']);
    again.close();
  });
});
