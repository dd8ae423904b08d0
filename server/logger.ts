// Logs (pino). Credentials are redacted by key wherever they appear two levels deep, and request headers are never
// logged whole. On a terminal the lines are human-readable (server/pretty-log.ts); elsewhere, or with
// LOG_FORMAT=json, they are JSON lines. Access-log lines ("request", "emulator request") are written at debug.
// On a terminal the start banner comes first: info lines written while starting are held until the banner is out
// (releaseStartupLogs), warnings and errors never are. A line written inside a traced span carries its trace_id.
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';
import { prettyStream } from './pretty-log.js';

export type { Logger };

const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'client_assertion',
  'accessToken',
  'access_token',
  'token',
  'recordingAccessToken',
  'MicrosoftAppPassword',
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** One line per HTTP request, from the app and the emulator: useful when debugging, noise otherwise. */
export const ACCESS_LOG_MESSAGES: ReadonlySet<string> = new Set(['request', 'emulator request']);
const INFO = 30;

export type LogFormat = 'pretty' | 'json';

const WARN = 40;
/** Held start-up lines are let out after this long even if nobody releases them. */
const HOLD_AT_MOST_MS = 15_000;
const holders = new Set<() => void>();

/** Lets out the info lines held while starting (the banner has been printed): they follow it, in order. */
export function releaseStartupLogs(): void {
  for (const release of [...holders]) release();
}

export interface LogOutput {
  /** Where lines go (process.stdout by default). */
  stdout?: { write(text: string): unknown; isTTY?: boolean };
  /** The LOG_FORMAT variable (pretty | json); unset = pretty on a terminal, JSON otherwise. */
  format?: string;
  /** The NO_COLOR and TERM variables. */
  env?: Record<string, string | undefined>;
  /** Pretty output only (default true): hold info lines until releaseStartupLogs(), so npm start's banner comes first. */
  holdStartup?: boolean;
}

/** pretty on a terminal unless LOG_FORMAT=json; JSON when stdout is a file or a pipe unless LOG_FORMAT=pretty. */
export function chooseLogFormat(output: LogOutput = {}): LogFormat {
  const asked = output.format?.trim().toLowerCase();
  if (asked === 'json' || asked === 'pretty') return asked;
  return (output.stdout ?? process.stdout).isTTY ? 'pretty' : 'json';
}

/** With a destination: JSON lines to it (tests, tools). Without: stdout, pretty or JSON as chooseLogFormat says. */
export function createLogger(level: string, destination?: pino.DestinationStream, output: LogOutput = {}): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'switchboard' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
    // A line written inside a traced span carries its ids, as OpenTelemetry's log correlation names them.
    mixin: traceFields,
    hooks: {
      // Access logs are debug whatever level their call site used, so `info` shows what matters.
      logMethod(args, method, methodLevel) {
        if (methodLevel === INFO && args.some((a) => typeof a === 'string' && ACCESS_LOG_MESSAGES.has(a))) {
          if (this.isLevelEnabled('debug')) (this.debug as (...a: unknown[]) => void)(...args);
          return;
        }
        method.apply(this, args);
      },
    },
  };
  if (destination) return pino(options, destination);
  const stdout = output.stdout ?? process.stdout;
  const env = output.env ?? process.env;
  const format = chooseLogFormat({ stdout, format: output.format ?? env.LOG_FORMAT });
  if (format === 'json') return pino(options, { write: (line: string) => void stdout.write(line) });
  const colors = Boolean(stdout.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  const pretty = prettyStream(stdout, { colors });
  if (output.holdStartup === false) return pino(options, pretty);
  return pino(options, holdingUntilReleased(pretty));
}

/** Holds lines below warn until releaseStartupLogs() (or HOLD_AT_MOST_MS, or exit); then passes everything through. */
function holdingUntilReleased(next: { write(chunk: string): boolean }): { write(chunk: string): boolean } {
  let holding = true;
  const lines: string[] = [];
  const release = () => {
    if (!holding) return;
    holding = false;
    clearTimeout(timer);
    holders.delete(release);
    process.off('exit', release);
    for (const line of lines.splice(0)) next.write(line);
  };
  const timer = setTimeout(release, HOLD_AT_MOST_MS);
  timer.unref();
  holders.add(release);
  process.once('exit', release);
  return {
    write(chunk: string): boolean {
      if (!holding || levelOf(chunk) >= WARN) return next.write(chunk);
      lines.push(chunk);
      return true;
    },
  };
}

/** trace_id, span_id and trace_flags of the active span; nothing when tracing is off or no span is active. */
export function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const c = span.spanContext();
  if (!isSpanContextValid(c)) return {};
  return { trace_id: c.traceId, span_id: c.spanId, trace_flags: `0${c.traceFlags.toString(16)}`.slice(-2) };
}

function levelOf(chunk: string): number {
  const match = /"level":(\d+)/.exec(chunk);
  return match ? Number(match[1]) : WARN;
}
