// The emulator's own error (start-up problems and control-API misuse), with a stable string code and an HTTP status.
// Graph and Entra failures are not EmulatorErrors: they are rendered in Microsoft's shapes by graph/ and identity/.

export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';

  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
