// An append-only log of large records on local disk, for what is written once, read back rarely and soon forgotten:
// the webhook's full rosters (a 1,000-person roster is ~650 KB). Appending its bytes as they came is ~0.2 ms, against
// ~4 ms to turn it into JSON again and insert it in SQLite (measured here). Each record is kept until it is marked
// done. Records go to one segment until it is full (64 MB), then to a new one; a segment that is full (or from an
// earlier run) and whose records are all done is deleted. Writes are synchronous (as SQLite's in WAL mode with
// synchronous=NORMAL: what was written survives the process dying, not necessarily the machine losing power).
//
// Format of a segment `inbox-NNNNNNNNNN.log`, one entry after another:
//   R <length of header JSON> <length of payload>\n<header JSON><payload>\n   a record
//   D <offset of the record in this segment>\n                             that record is done
// A torn entry at the end (the process died while writing it) is cut off when the log is opened.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, unlinkSync, writeSync, writevSync, ftruncateSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from './store.js';

/** Where a record is: its segment and offset (stable for its lifetime). */
export interface LogRef {
  readonly segment: number;
  readonly offset: number;
}

export interface LogRecord<H> {
  ref: LogRef;
  header: H;
}

export interface AppendLog {
  /** Appends a record (header: small, JSON; payload: bytes as they are). Throws StoreError store/unavailable. */
  append(header: object, payload: Uint8Array): LogRef;
  /** A record's payload; undefined when it is gone (done, or its segment deleted). */
  read(ref: LogRef): Buffer | undefined;
  /** The record is dealt with: it is not among the leftovers of a later open, and its space is freed in time. */
  done(ref: LogRef): void;
  /** Records not done when the log was opened, oldest first (what a previous run left). */
  leftovers<H>(): Array<LogRecord<H>>;
  close(): void;
}

interface Segment {
  number: number;
  fd: number;
  size: number;
  /** Offsets of records not done yet, with their lengths (header + payload) for reading back. */
  open: Map<number, { headerBytes: number; payloadBytes: number }>;
}

const NAME = /^inbox-(\d{10})\.log$/;
const NEWLINE = Buffer.from('\n');
/** A segment is started afresh once it is this big and nothing in it is outstanding (or left when it is bigger). */
const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export function openAppendLog(dir: string, options: { segmentBytes?: number } = {}): AppendLog {
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  const segments = new Map<number, Segment>();
  const leftovers: Array<LogRecord<unknown>> = [];
  let current: Segment;
  try {
    mkdirSync(dir, { recursive: true });
    const numbers = readdirSync(dir)
      .flatMap((name) => {
        const m = NAME.exec(name);
        return m ? [Number(m[1])] : [];
      })
      .sort((a, b) => a - b);
    for (const number of numbers) {
      const segment = recover(dir, number, leftovers);
      if (segment.open.size === 0) {
        closeSync(segment.fd);
        unlinkSync(fileOf(dir, number));
      } else {
        segments.set(number, segment);
      }
    }
    current = startSegment(dir, (numbers.at(-1) ?? 0) + 1);
    segments.set(current.number, current);
  } catch (err) {
    throw new StoreError('store/unavailable', `Cannot open the inbox log in ${dir}: ${(err as Error).message}`, err);
  }

  /** Deletes a segment none of whose records is outstanding, unless it is the one being written and not full yet. */
  const retire = (segment: Segment) => {
    if (segment.open.size > 0) return;
    if (segment === current) {
      if (segment.size < segmentBytes) return;
      current = startSegment(dir, segment.number + 1);
      segments.set(current.number, current);
    }
    segments.delete(segment.number);
    closeSync(segment.fd);
    unlinkSync(fileOf(dir, segment.number));
  };

  return {
    append(header, payload) {
      const headerBytes = Buffer.from(JSON.stringify(header));
      const line = Buffer.from(`R ${headerBytes.length} ${payload.length}\n`);
      if (current.size >= segmentBytes) {
        // Full: the next records go to a new segment, and this one goes once its last record is done — under a
        // steady stream some record of the current segment is always outstanding, so waiting for none would grow it
        // for ever.
        const full = current;
        try {
          current = startSegment(dir, full.number + 1);
        } catch (err) {
          throw new StoreError('store/unavailable', `The inbox log cannot be written (${(err as { code?: string }).code ?? (err as Error).message})`, err);
        }
        segments.set(current.number, current);
        retire(full);
      }
      const segment = current;
      const offset = segment.size;
      try {
        const written = writevSync(segment.fd, [line, headerBytes, payload, NEWLINE]);
        if (written !== line.length + headerBytes.length + payload.length + 1) throw new Error('short write');
      } catch (err) {
        // Whatever part was written is cut off again, so that the next record starts at a clean offset.
        try {
          ftruncateSync(segment.fd, offset);
        } catch {
          // the next open cuts a torn entry off anyway
        }
        throw new StoreError('store/unavailable', `The inbox log cannot be written (${(err as { code?: string }).code ?? (err as Error).message})`, err);
      }
      segment.size += line.length + headerBytes.length + payload.length + 1;
      segment.open.set(offset, { headerBytes: line.length + headerBytes.length, payloadBytes: payload.length });
      return { segment: segment.number, offset };
    },
    read(ref) {
      const segment = segments.get(ref.segment);
      const entry = segment?.open.get(ref.offset);
      if (!segment || !entry) return undefined;
      const out = Buffer.allocUnsafe(entry.payloadBytes);
      const got = readSync(segment.fd, out, 0, entry.payloadBytes, ref.offset + entry.headerBytes);
      return got === entry.payloadBytes ? out : undefined;
    },
    done(ref) {
      const segment = segments.get(ref.segment);
      if (!segment?.open.delete(ref.offset)) return;
      const mark = Buffer.from(`D ${ref.offset}\n`);
      try {
        writeSync(segment.fd, mark);
        segment.size += mark.length;
        retire(segment);
      } catch {
        // Not marked: a later open offers the record again (applying a roster again is harmless).
      }
    },
    leftovers<H>() {
      return leftovers.splice(0) as Array<LogRecord<H>>;
    },
    close() {
      for (const segment of segments.values()) closeSync(segment.fd);
      segments.clear();
    },
  };
}

function fileOf(dir: string, number: number): string {
  return join(dir, `inbox-${String(number).padStart(10, '0')}.log`);
}

function startSegment(dir: string, number: number): Segment {
  const fd = openSync(fileOf(dir, number), 'a+');
  return { number, fd, size: fstatSync(fd).size, open: new Map() };
}

/** Reads a segment a previous run wrote: its records not done go to `leftovers`; a torn end is cut off. */
function recover(dir: string, number: number, leftovers: Array<LogRecord<unknown>>): Segment {
  const fd = openSync(fileOf(dir, number), 'r+');
  const bytes = readFileSync(fd);
  const open = new Map<number, { headerBytes: number; payloadBytes: number }>();
  const headers = new Map<number, unknown>();
  let at = 0;
  while (at < bytes.length) {
    const eol = bytes.indexOf(0x0a, at);
    if (eol === -1) break;
    const line = bytes.toString('latin1', at, eol);
    const record = /^R (\d+) (\d+)$/.exec(line);
    const done = /^D (\d+)$/.exec(line);
    if (record) {
      const headerLength = Number(record[1]);
      const payloadLength = Number(record[2]);
      const end = eol + 1 + headerLength + payloadLength + 1;
      if (end > bytes.length || bytes[end - 1] !== 0x0a) break;
      let header: unknown;
      try {
        header = JSON.parse(bytes.toString('utf8', eol + 1, eol + 1 + headerLength));
      } catch {
        break;
      }
      open.set(at, { headerBytes: eol + 1 - at + headerLength, payloadBytes: payloadLength });
      headers.set(at, header);
      at = end;
    } else if (done) {
      open.delete(Number(done[1]));
      at = eol + 1;
    } else {
      break;
    }
  }
  if (at < bytes.length) ftruncateSync(fd, at);
  for (const offset of open.keys()) leftovers.push({ ref: { segment: number, offset }, header: headers.get(offset) });
  closeSync(fd);
  const segment = { number, fd: openSync(fileOf(dir, number), 'a+'), size: at, open };
  return segment;
}
