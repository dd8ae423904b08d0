// Structured logs (pino, JSON lines). Credentials are redacted by key wherever they appear two levels deep,
// and request headers are never logged whole.
import { pino, type Logger } from 'pino';

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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'switchboard' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
