// One phrase through eSpeak NG's WebAssembly CLI, in whatever thread calls it (the synthesizer runs it in a worker
// thread: eSpeak's main() is synchronous, a third of a second of CPU for a menu prompt, and would stall every call
// on the event loop while it ran).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ESpeakModule = (options: {
  arguments: string[];
  print?: (s: string) => void;
  printErr?: (s: string) => void;
  preRun?: Array<() => void>;
  postRun?: Array<() => void>;
  instantiateWasm?: (imports: object, receive: (instance: object, module: object) => void) => object;
}) => Promise<{
  FS: { readFile(path: string): Uint8Array };
}>;

/** The optional package's name, kept in a variable: it is resolved only at run time (GPL-3.0, never bundled). */
export const ESPEAK_MODULE = 'espeak-ng';

/** The part of the WebAssembly API used here (the compiler's libraries here do not declare it). */
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object>; instantiate(module: object, imports: object): Promise<object> } }).WebAssembly;

/** eSpeak NG's module factory, or undefined when the optional package is not installed. */
export async function importEspeak(): Promise<ESpeakModule | undefined> {
  try {
    return ((await import(ESPEAK_MODULE)) as { default: ESpeakModule }).default;
  } catch {
    return undefined;
  }
}

/**
 * eSpeak NG's 18 MB WebAssembly, compiled once per thread: the CLI build runs main() once per instance, so every
 * phrase needs a new instance, but not a new compilation. Undefined when the file cannot be found or compiled (the
 * module then compiles it itself).
 */
let compiledEspeak: Promise<object | undefined> | undefined;
function espeakWasm(): Promise<object | undefined> {
  compiledEspeak ??= (async () => {
    try {
      const entry = createRequire(import.meta.url).resolve(ESPEAK_MODULE);
      return await wasmApi.compile(await readFile(join(dirname(entry), 'espeak-ng.wasm')));
    } catch {
      return undefined;
    }
  })();
  return compiledEspeak;
}

/** eSpeak's own WAV (22,050 Hz) for clean text in `voice`; throws what eSpeak or its runtime threw. */
export async function espeakPhrase(create: ESpeakModule, text: string, voice: string): Promise<Uint8Array> {
  // The WASM runtime sets process.exitCode to eSpeak's exit status: keep the thread's own.
  const exitCode = process.exitCode;
  const wasm = await espeakWasm();
  // While eSpeak's main() runs (synchronously, between preRun and postRun) its file system throws an error for every
  // file it probes, each capturing a stack trace: about a third of a prompt's time. No other code runs in that
  // window, so stack traces are off just for it.
  const stackTraceLimit = Error.stackTraceLimit;
  const restore = () => {
    Error.stackTraceLimit = stackTraceLimit;
  };
  let failInstantiate: (err: unknown) => void = () => undefined;
  const instantiateFailed = new Promise<never>((_, reject) => {
    failInstantiate = reject;
  });
  const instance = await Promise.race([instantiateFailed, create({
    arguments: ['-v', voice, '-s', '160', '-w', '/tmp/prompt.wav', '--', text],
    print: () => undefined,
    printErr: () => undefined,
    preRun: [() => {
      Error.stackTraceLimit = 0;
    }],
    postRun: [restore],
    ...(wasm ? {
      instantiateWasm: (imports, receive) => {
        wasmApi.instantiate(wasm, imports).then((instance) => receive(instance, wasm), failInstantiate);
        return {};
      },
    } : {}),
  })]).finally(() => {
    restore();
    process.exitCode = exitCode;
  });
  return instance.FS.readFile('/tmp/prompt.wav');
}
