// `npm run replay -- <file-or-folder> [--to <webhook url>] [--app-id <id>] [--tenant-id <id>] [--data-dir <dir>]`:
// posts captured commsNotifications batches to a running app's calling webhook, signed as the emulator signs them, and
// reports what the app did with each: the webhook's answer, then the Graph requests the app made about the capture's
// calls (read from the emulator's request log) — a 202 only says the batch was taken, not that it could be acted on.

import { parseArgs } from 'node:util';
import { DEFAULT_TENANT_ID, DEV_APP_ID } from './emulator-options.js';
import { EmulatorError } from './emulator-error.js';
import { listCaptures, replayCaptures, type FollowUp, type ReplayResult } from './replay/replay-captures.js';

export const DEFAULT_WEBHOOK_URL = 'http://127.0.0.1:3978/api/calling';
export const DEFAULT_DATA_DIR = '.switchboard/emulator';

const USAGE = `Usage: npm run replay -- <file-or-folder> [--to <webhook url>] [--app-id <id>] [--tenant-id <id>] [--data-dir <dir>] [--emulator <url>]
  Posts each captured commsNotifications batch (a .json file, or a folder's *.json files in name order) to the app's
  calling webhook, signed with the emulator's calling key, and prints each answer and what the app then asked Graph
  about the capture's calls.
  --to         the calling webhook (default ${DEFAULT_WEBHOOK_URL})
  --app-id     the token audience: the bot's app id (default the local app ${DEV_APP_ID})
  --tenant-id  the token's tenant when a capture names none (default ${DEFAULT_TENANT_ID})
  --data-dir   the emulator's data dir holding calling-signing-key.json and tls-cert.pem (default $EMULATOR_DATA_DIR or ${DEFAULT_DATA_DIR})
  --emulator   the emulator the app uses, whose request log shows what the app did next (default $EMULATOR_URL or https://127.0.0.1:$EMULATOR_PORT, 3979)
  Exit code 1 if any file was skipped or any request failed (no answer, or not 2xx).`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        'app-id': { type: 'string' },
        'tenant-id': { type: 'string' },
        'data-dir': { type: 'string' },
        emulator: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`Give exactly one file or folder to replay.\n\n${USAGE}`);
    return 2;
  }
  const webhookUrl = values.to ?? DEFAULT_WEBHOOK_URL;
  if (!/^https?:\/\/[^/]/i.test(webhookUrl) || !URL.canParse(webhookUrl)) {
    console.error(`--to '${webhookUrl}' is not an http(s) URL, e.g. ${DEFAULT_WEBHOOK_URL}.`);
    return 2;
  }

  try {
    const files = await listCaptures(positionals[0]!);
    const results = await replayCaptures(files, {
      webhookUrl,
      appId: values['app-id'] ?? DEV_APP_ID,
      dataDir: values['data-dir'] ?? (process.env.EMULATOR_DATA_DIR?.trim() || DEFAULT_DATA_DIR),
      ...(values['tenant-id'] ? { tenantId: values['tenant-id'] } : {}),
      emulatorUrl: values.emulator ?? (process.env.EMULATOR_URL?.trim() || `https://127.0.0.1:${process.env.EMULATOR_PORT?.trim() || '3979'}`),
    }, print);
    const sent = results.filter((r) => r.kind === 'sent');
    const accepted = sent.filter((r) => r.ok).length;
    const skipped = results.filter((r) => r.kind === 'skipped').length;
    const failed = results.length - accepted - skipped;
    console.log(`\nReplayed ${results.length} file(s) to ${webhookUrl}: ${accepted} accepted, ${failed} failed, ${skipped} skipped.`);
    const followUps = sent.flatMap((r) => r.followUps ?? []);
    const refused = followUps.filter((f) => f.status === 0 || f.status >= 400);
    if (sent.some((r) => r.ok && r.followUps === undefined)) {
      console.log('What the app did next is not shown: the emulator\'s request log could not be read (pass --emulator <its url> and --data-dir <its data dir>).');
    } else if (followUps.length > 0) {
      console.log(`Afterwards the app made ${followUps.length} Graph request(s) about the replayed calls: ${followUps.length - refused.length} succeeded, ${refused.length} failed.`);
      if (refused.some((f) => f.status === 404)) {
        console.log('A 404 means Graph (here the emulator) does not know that call: it exists only in the capture, so the app could not answer or act on it. Replay checks how the app reads and records notifications; live calls come from the emulator console or a real tenant.');
      }
    }
    return failed > 0 || skipped > 0 ? 1 : 0;
  } catch (err) {
    console.error(err instanceof EmulatorError ? err.message : `Replay failed: ${(err as Error).message}`);
    return 1;
  }
}

function print(r: ReplayResult): void {
  if (r.kind === 'sent') {
    const taken = r.ok ? ' — the webhook took the batch (it answers before processing)' : '';
    console.log(`${r.file}: ${r.status} ${r.statusText}${taken}${r.body ? `\n  ${r.body.replace(/\n/g, '\n  ')}` : ''}`);
    if (r.followUps?.length === 0) console.log('  then the app asked Graph nothing about this capture\'s calls');
    for (const f of r.followUps ?? []) console.log(`  then the app: ${f.method} ${f.path} → ${describeStatus(f)}`);
  } else if (r.kind === 'skipped') {
    console.log(`${r.file}: skipped, ${r.problem}`);
  } else {
    console.log(`${r.file}: ${r.problem}`);
  }
}

function describeStatus(f: FollowUp): string {
  if (f.status === 0) return 'connection reset';
  if (f.status === 404) return '404 (Graph does not know this call: it exists only in the capture)';
  return String(f.status);
}

process.exitCode = await main(process.argv.slice(2));
