// `npm run playground`: writes .m365agentsplayground.yml from the emulator's people (so you chat as Amara Okafor, an
// emulated person with a real object id) and starts the Microsoft 365 Agents Playground against the local bot.
// `npm run playground -- --write-only` only writes the file. PORT comes from the environment or .env, as for npm start.
// Tooling, not the app: it reads the emulator's people data file; the app itself never imports the emulator's logic.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { DEFAULT_USERS } from '../../emulator/directory/default-users.js';
import { LOCAL_APP } from '../config.js';
import { PLAYGROUND_CONFIG_FILE, playgroundConfig } from './playground-config.js';

const cwd = process.cwd();
const env = { ...(existsSync('.env') ? parse(readFileSync('.env')) : {}), ...process.env };
const port = env.PORT && /^\d+$/.test(env.PORT) ? env.PORT : '3978';
const file = join(cwd, PLAYGROUND_CONFIG_FILE);
const text = playgroundConfig(DEFAULT_USERS, { tenantId: LOCAL_APP.tenantId, botAppId: LOCAL_APP.id, botName: 'Switchboard (local)', currentUser: env.PLAYGROUND_USER });
const changed = !existsSync(file) || readFileSync(file, 'utf8') !== text;
if (changed) writeFileSync(file, text);
process.stdout.write(`${changed ? 'Wrote' : 'Using'} ${PLAYGROUND_CONFIG_FILE}: you chat as ${/currentUser:\n {2}id: .*\n {2}name: "([^"]+)"/.exec(text)?.[1] ?? 'the first person'}.\n`);

if (!process.argv.includes('--write-only')) {
  const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  const endpoint = `http://127.0.0.1:${port}/api/messages`;
  process.stdout.write(`Starting the Agents Playground for ${endpoint} (start Switchboard with npm start first).\n`);
  const child = spawn(process.execPath, [cli, '-e', endpoint, '-c', 'msteams', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, M365_AGENTS_PLAYGROUND_CONFIG_PATH: file } });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
}
