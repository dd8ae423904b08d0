// The one logger shape comms/ writes to (pino's, narrowed): structured fields first, then a short message.

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Drops everything: the default where a caller gives no logger. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
