// `npm run dev`'s engine: keeps a few child processes running side by side — builders that watch their sources
// (tsc --watch, the tab's esbuild watch) and one server restarted by Node's own --watch whenever the paths it watches
// change — with each builder's output prefixed, and all of them stopped together (Ctrl+C, or any of them exiting).
import { spawn, type ChildProcess } from 'node:child_process';

export interface Builder {
  name: string;
  command: string;
  args: string[];
}

export interface DevRunnerOptions {
  builders: Builder[];
  /** The server: a Node script run with --watch-path for each path, restarted by Node when any of them changes. */
  server: { script: string; watch: string[]; nodeArgs?: string[] };
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Where builders' prefixed lines go (default stdout). */
  write?: (line: string) => void;
}

export interface DevRunner {
  /** Resolves with the first exit code once everything has stopped. */
  done: Promise<number>;
  stop(): void;
}

export function startDevRunner(options: DevRunnerOptions): DevRunner {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const children: ChildProcess[] = [];
  let stopping = false;
  let firstCode: number | undefined;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const exited = (name: string, code: number | null, signal: NodeJS.Signals | null) => {
    firstCode ??= code ?? (signal ? 0 : 1);
    if (!stopping) write(`[dev] ${name} stopped (${signal ?? `exit ${code}`}): stopping the rest`);
    stop();
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) resolveDone(firstCode);
  };

  for (const builder of options.builders) {
    const child = spawn(builder.command, builder.args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const prefix = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) if (line.trim()) write(`[${builder.name}] ${line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')}`);
    };
    child.stdout!.on('data', prefix);
    child.stderr!.on('data', prefix);
    child.on('exit', (code, signal) => exited(builder.name, code, signal));
  }

  const watchArgs = options.server.watch.flatMap((path) => [`--watch-path=${path}`]);
  const server = spawn(process.execPath, [...watchArgs, '--watch-preserve-output', ...(options.server.nodeArgs ?? []), options.server.script], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: 'inherit', // the server's own output: readable logs when this is a terminal
  });
  children.push(server);
  server.on('exit', (code, signal) => exited('server', code, signal));

  return { done, stop };
}
