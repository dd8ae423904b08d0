// Mocha root hooks, run once per spec file in each parallel worker.
//
// 1. Errors that escape the code under test. While a file runs, mocha fails the running test on an uncaught exception,
//    but an unhandled promise rejection it only passes on to the process's other listeners: with none it is dropped
//    unseen. After each file mocha's worker removes every such listener, so a rejection (or a throw) that something a
//    file left running causes *between* files kills the worker — CI then says "Workerpool Worker terminated
//    Unexpectedly", the next file's results are lost, and nothing names the culprit. This guard keeps a listener on
//    throughout: an unhandled rejection is printed with the file it happened in (during a file or after it, as mocha
//    treats it: not a failure); an exception thrown between files is printed with the file that left it and fails the
//    worker's next file, as it would have failed a test had it come a moment earlier. In the app itself both mark the
//    process damaged (server/process-guard.ts): every one printed here is a bug to fix.
// 2. `SWITCHBOARD_TEST_TIMES=<file>`: appends one JSON line per spec file (pid, file, start and end in ms): what the
//    slowest files are, and how the two workers' queues end.
'use strict';
const { appendFileSync } = require('node:fs');

let lastFile = '(the first file in this worker)';
let currentFile;
let escaped;
let started = 0;

function text(err) {
  return err instanceof Error ? err.stack ?? String(err) : String(err);
}

/** An exception thrown between files: remembered, and the next file fails naming where it came from. */
function exception(err) {
  process.stderr.write(`\n[test guard] an exception escaped ${lastFile} after its tests had finished:\n${text(err)}\n`);
  escaped ??= { file: lastFile, text: text(err) };
}

// Node calls this listener and, during a file, mocha's own passes the same rejection on to it once more.
const printed = new WeakSet();
function rejection(reason) {
  if (typeof reason === 'object' && reason !== null) {
    if (printed.has(reason)) return;
    printed.add(reason);
  }
  const where = currentFile === undefined ? `after ${lastFile} had finished` : `during ${currentFile}`;
  process.stderr.write(`\n[test guard] unhandled promise rejection ${where}:\n${text(reason)}\n`);
}

/** After mocha's worker removed every listener at the end of a file. */
function arm() {
  if (!process.listeners('uncaughtException').includes(exception)) process.on('uncaughtException', exception);
  if (!process.listeners('unhandledRejection').includes(rejection)) process.on('unhandledRejection', rejection);
}

// Only in a parallel worker (mocha's main process loads this file too, to find the hooks, and keeps its own handlers).
const inWorker = process.env.MOCHA_WORKER_ID !== undefined;
if (inWorker) {
  arm();
  process.on('exit', () => {
    if (escaped) process.stderr.write(`\n[test guard] this worker ends with an exception left by ${escaped.file} (printed above)\n`);
  });
}

function fileOf(context) {
  const suites = context.test?.parent?.suites ?? [];
  return suites.find((s) => s.file)?.file ?? '(unknown file)';
}

exports.mochaHooks = {
  beforeAll() {
    if (!inWorker) return;
    // While a file runs mocha's own handler fails the running test on an exception.
    process.off('uncaughtException', exception);
    if (!process.listeners('unhandledRejection').includes(rejection)) process.on('unhandledRejection', rejection);
    currentFile = fileOf(this);
    started = Date.now();
    if (escaped) {
      const { file, text: stack } = escaped;
      escaped = undefined;
      throw new Error(`an exception escaped ${file} after its tests had finished (this file is not at fault):\n${stack}`);
    }
  },
  afterAll() {
    if (!inWorker) return;
    lastFile = fileOf(this);
    currentFile = undefined;
    const out = process.env.SWITCHBOARD_TEST_TIMES;
    if (out) appendFileSync(out, `${JSON.stringify({ pid: process.pid, file: lastFile, start: started, end: Date.now() })}\n`);
    // Mocha's worker removes every listener once this file's run has ended, just after this hook; they go back on after.
    setImmediate(arm);
  },
};
