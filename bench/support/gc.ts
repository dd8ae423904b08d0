// A garbage collection on demand for memory figures: global.gc when node runs with --expose-gc, otherwise the flag
// is switched on at run time (v8.setFlagsFromString) and gc taken from a fresh context.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

export function gc(): void {
  if (!collect) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (existing) {
      collect = existing;
    } else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
  collect();
}
