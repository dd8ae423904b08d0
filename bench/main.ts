// `npm run bench [-- --quick] [--only 1,3] [--emulator in-process] [--url http://127.0.0.1:3978 [--emulator-url …]
// [--emulator-data-dir …]] [--traces] [--out <dir>]`: measures Switchboard against its floors and limits, prints one table and
// writes the same as JSON to bench/results/<timestamp>.json and bench/results/latest.json.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FIGURES, runBench } from './run-bench.js';
import { startTracing, tracingConfig, TRACING_ENV, type Tracing } from '../server/tracing/index.js';
import { z } from 'zod';
import { startOtlpSink, type OtlpSink } from './support/otlp-sink.js';

const USAGE = `Usage: npm run bench [-- options]
  --quick                 shorter phases (meeting churn 15 s, fewer rates and calls): about 1½ minutes
                          (the full run takes about 3½)
  --only <list>           only these figures, e.g. --only 1,3 (${FIGURES.join(', ')})
  --emulator <where>      process (default: the emulator in its own process, so the app's figures measure the app
                          alone) or in-process (exactly like local mode)
  --url <app url>         drive a running Switchboard (npm start) instead of starting one; figures that need the app
                          in-process (4, 5, 6, 8) are skipped
  --emulator-url <url>    with --url: the running emulator (default https://127.0.0.1:3979)
  --emulator-data-dir <d> with --url: its data folder, for its calling signing key and certificate
                          (default .switchboard/emulator)
  --traces                the in-process app with tracing on: every span exported over OTLP/HTTP to a stand-in
                          collector on 127.0.0.1 (compare with a run without it for tracing's cost)
  --out <dir>             where the JSON goes (default bench/results)`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        emulator: { type: 'string' },
        url: { type: 'string' },
        'emulator-url': { type: 'string' },
        'emulator-data-dir': { type: 'string' },
        out: { type: 'string' },
        traces: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const emulator = values.emulator ?? 'process';
  if (emulator !== 'process' && emulator !== 'in-process') {
    console.error(`--emulator must be process or in-process, not '${emulator}'.\n\n${USAGE}`);
    return 2;
  }
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((n) => !(FIGURES as readonly string[]).includes(n));
  if (unknown && unknown.length > 0) {
    console.error(`--only: no figure ${unknown.join(', ')} (figures are ${FIGURES.join(', ')}).`);
    return 2;
  }
  if (values.url && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(values.url)) {
    console.error(`--url must be the running app on this machine, e.g. http://127.0.0.1:3978 (the bench only talks to loopback).`);
    return 2;
  }
  if (values['emulator-url'] && !/^https:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(values['emulator-url'])) {
    console.error(`--emulator-url must be the running emulator on this machine, e.g. https://127.0.0.1:3979.`);
    return 2;
  }
  const outDir = values.out ? resolve(values.out) : fileURLToPath(new URL('../../bench/results/', import.meta.url));
  let sink: OtlpSink | undefined;
  let tracing: Tracing | undefined;
  if (values.traces) {
    sink = await startOtlpSink();
    // OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG as the app reads them (checked the same way), e.g. to measure a tenth.
    const checked = z.object({ OTEL_TRACES_SAMPLER: TRACING_ENV.OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG: TRACING_ENV.OTEL_TRACES_SAMPLER_ARG }).safeParse(process.env);
    if (!checked.success) {
      console.error('OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG: use an OpenTelemetry sampler name and a ratio from 0 to 1, or leave them unset.');
      return 2;
    }
    const { sampler } = tracingConfig(checked.data as Record<string, string | undefined>);
    tracing = await startTracing({ serviceName: 'switchboard-bench', otlp: { url: sink.url, headers: {} }, ...(sampler ? { sampler } : {}) });
    process.stderr.write(`Traces on: spans exported over OTLP/HTTP to ${sink.url}${sampler ? ` (sampler ${sampler.kind}${sampler.ratio !== undefined ? ` ${sampler.ratio}` : ''})` : ''}\n`);
  }
  const outcome = await runBench({
    size: values.quick ? 'quick' : 'full',
    outDir,
    emulator,
    ...(values.url ? { url: values.url.replace(/\/$/, '') } : {}),
    ...(values['emulator-url'] ? { emulatorUrl: values['emulator-url'].replace(/\/$/, '') } : {}),
    ...(values['emulator-data-dir'] ? { emulatorDataDir: values['emulator-data-dir'] } : {}),
    ...(only ? { only } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(`\n${outcome.table}\n\nWritten to ${outcome.file} (and latest.json beside it).`);
  if (sink && tracing) {
    await tracing.shutdown(); // sends what is still buffered
    console.log(`Traces on: ${sink.exports} OTLP export requests received.`);
    await sink.close();
  }
  const failures = outcome.run.figures.flatMap((f) => f.rows).filter((r) => r.skipped?.startsWith('failed'));
  return failures.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`The bench could not run: ${(err as Error)?.stack ?? String(err)}`);
    process.exit(1);
  },
);
