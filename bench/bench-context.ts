// What every figure gets: the run's sizes, the emulator's control API and token signer, a way to start the app
// in-process (absent with --url, where figures use the running app over HTTP or say they cannot), and a progress log.
import type { BenchSizes } from './bench-sizes.js';
import type { BenchApp, BenchAppOptions } from './support/bench-app.js';
import type { BenchEmulator } from './support/bench-emulator.js';
import type { EmulatorControl } from './support/emulator-control.js';

export interface BenchContext {
  sizes: BenchSizes;
  control: EmulatorControl;
  /** A JWT as Microsoft's calling service signs webhook POSTs. */
  signCallingToken(claims: { audience: string; tenantId?: string }): Promise<string>;
  /** The emulator the bench started (absent with --url). */
  emulator?: BenchEmulator;
  /** Starts the app in-process against the bench's emulator (absent with --url). */
  startApp?: (options?: BenchAppOptions) => Promise<BenchApp>;
  log(line: string): void;
}

/** The app a figure drives: in-process (`bench` set) or a running one reached only over HTTP. */
export interface AppTarget {
  url: string;
  bench?: BenchApp;
}

export const NEEDS_IN_PROCESS = 'skipped: needs the in-process app (not available with --url)';
