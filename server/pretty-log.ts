// Human-readable logs for a terminal: pino writes its JSON line here, and one short line goes out instead —
// "18:38:08 INFO  calls       call established  callId=… state=established" — with errors, their code and their
// advice on the lines below. Anything that is not a pino line passes through untouched.

export interface PrettyOptions {
  /** ANSI colours (a terminal that is not dumb, and NO_COLOR unset). */
  colors: boolean;
  /** The time zone the clock column is shown in (the machine's own by default). */
  timeZone?: string;
}

export interface TextSink {
  write(text: string): unknown;
}

const LEVELS: Record<number, { label: string; color: string }> = {
  10: { label: 'TRACE', color: '\u001b[90m' },
  20: { label: 'DEBUG', color: '\u001b[90m' },
  30: { label: 'INFO ', color: '\u001b[36m' },
  40: { label: 'WARN ', color: '\u001b[33m' },
  50: { label: 'ERROR', color: '\u001b[31m' },
  60: { label: 'FATAL', color: '\u001b[41m\u001b[97m' },
};
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';

/** Fields pino adds or that the line already shows. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'component', 'err', 'v', 'trace_id', 'span_id', 'trace_flags']);
/** Fields worth seeing first when present. */
const FIRST = ['callId', 'meetingKey', 'reminderId', 'state', 'method', 'path', 'status', 'ms', 'durationMs', 'code', 'reason', 'url'];
const MAX_FIELDS = 8;
const MAX_VALUE = 80;

/** Formats one pino JSON line; undefined when the text is not one (it is then passed through as it is). */
export function formatLogLine(line: string, options: PrettyOptions): string | undefined {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || typeof (parsed as { level?: unknown }).level !== 'number') return undefined;
    entry = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const paint = (color: string, text: string) => (options.colors ? `${color}${text}${RESET}` : text);
  const level = LEVELS[entry.level as number] ?? { label: String(entry.level).padEnd(5), color: '' };
  const time = typeof entry.time === 'number' ? clock(entry.time, options.timeZone) : '        ';
  const component = typeof entry.component === 'string' ? entry.component : 'app';
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  const fields = fieldsOf(entry);
  let out = `${paint(DIM, time)} ${paint(level.color, level.label)} ${component.padEnd(11)} ${msg}${fields ? `  ${paint(DIM, fields)}` : ''}\n`;
  const err = entry.err as { type?: string; message?: string; code?: string; advice?: string; stack?: string } | undefined;
  if (err && typeof err === 'object') {
    out += `${' '.repeat(21)}${paint(level.color, `${err.type ?? 'Error'}${err.code ? ` [${err.code}]` : ''}: ${err.message ?? ''}`)}\n`;
    if (err.advice) out += `${' '.repeat(21)}what to do: ${err.advice}\n`;
    if ((entry.level as number) >= 50 && typeof err.stack === 'string') {
      const frames = err.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 3);
      for (const frame of frames) out += `${' '.repeat(21)}${paint(DIM, frame.trim())}\n`;
    }
  }
  if (typeof entry.advice === 'string' && !err?.advice) out += `${' '.repeat(21)}what to do: ${entry.advice}\n`;
  return out;
}

/** A pino destination that writes formatted lines to `sink` (process.stdout). */
export function prettyStream(sink: TextSink, options: PrettyOptions): { write(chunk: string): boolean } {
  let pending = '';
  return {
    write(chunk: string): boolean {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() !== '') sink.write(formatLogLine(line, options) ?? `${line}\n`);
        newline = pending.indexOf('\n');
      }
      return true;
    },
  };
}

function fieldsOf(entry: Record<string, unknown>): string {
  const keys = Object.keys(entry).filter((k) => !HIDDEN.has(k) && entry[k] !== undefined && entry[k] !== null);
  keys.sort((a, b) => rank(a) - rank(b));
  const shown = keys.slice(0, MAX_FIELDS).map((k) => `${k}=${valueOf(entry[k])}`);
  if (keys.length > MAX_FIELDS) shown.push(`+${keys.length - MAX_FIELDS} more`);
  return shown.join(' ');
}

function rank(key: string): number {
  const i = FIRST.indexOf(key);
  return i < 0 ? FIRST.length : i;
}

function valueOf(value: unknown): string {
  const text = typeof value === 'string' ? (/\s/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function clock(ms: number, timeZone: string | undefined): string {
  try {
    return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}) });
  } catch {
    return new Date(ms).toISOString().slice(11, 19);
  }
}
