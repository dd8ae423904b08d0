// The shipped examples (.env.example for npm start, env/.env.local.example for npm run package) document every
// variable, keep every line commented, and copied as they are leave Switchboard in local mode.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'dotenv';
import { CONFIG_VARIABLES, loadConfig } from '../../server/config.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const documented = (text: string) => new Set([...text.matchAll(/^# ?([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]!));

describe('server/config: the shipped examples', () => {
  const startExample = read('.env.example');
  const packageExample = read('env/.env.local.example');

  it('.env.example documents every variable npm start reads, and the package and doctor ones', () => {
    const names = documented(startExample);
    for (const variable of [...CONFIG_VARIABLES, 'LOG_FORMAT', 'TEAMS_APP_ID', 'DOCTOR_USER', 'PLAYGROUND_USER']) assert.ok(names.has(variable), `${variable} is in .env.example`);
    assert.ok(CONFIG_VARIABLES.length >= 18, 'the variable list is the real one');
  });

  it('env/.env.local.example documents every variable the manifest needs', () => {
    const manifest = read('manifest.json');
    const needed = new Set([...manifest.matchAll(/\$\{\{([A-Za-z_]+)\}\}/g)].map((m) => m[1]!));
    needed.delete('PUBLIC_HOSTNAME'); // derived from PUBLIC_BASE_URL
    const names = documented(packageExample);
    for (const variable of needed) assert.ok(names.has(variable), `${variable} is in env/.env.local.example`);
  });

  it('every variable line is commented and explained by the comment above it', () => {
    for (const [file, text] of [['.env.example', startExample], ['env/.env.local.example', packageExample]] as const) {
      const lines = text.split('\n');
      assert.deepEqual(parse(text), {}, `${file} sets nothing as shipped`);
      lines.forEach((line, i) => {
        if (!/^# ?[A-Za-z_][A-Za-z0-9_]*=/.test(line)) return;
        const above = lines[i - 1] ?? '';
        assert.ok(/^# /.test(above) && !/^# ?[A-Za-z_][A-Za-z0-9_]*=/.test(above) || /^# ?[A-Z_]+=/.test(above), `${file}:${i + 1} has an explanation above it`);
      });
    }
  });

  it('copied with every line uncommented, the package example still starts in local mode', () => {
    const uncommented = packageExample.replace(/^# ?([A-Za-z_][A-Za-z0-9_]*=)/gm, '$1');
    const env = parse(uncommented);
    assert.ok(Object.keys(env).length >= 3);
    assert.equal(loadConfig(env, '/tmp').mode, 'local');
  });
});
