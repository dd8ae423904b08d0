// `npm run replay -- <file-or-folder> [--to <webhook url>] [--app-id <id>] [--tenant-id <id>] [--data-dir <dir>]`:
// posts captured commsNotifications batches to a running app's calling webhook, signed as the emulator signs them.

import { parseArgs } from 'node:util';
import { DEFAULT_TENANT_ID, DEV_APP_ID } from './emulator-options.js';
import { EmulatorError } from './emulator-error.js';
import { listCaptures, replayCaptures, type ReplayResult } from './replay/replay-captures.js';

export const DEFAULT_WEBHOOK_URL = 'http://127.0.0.1:3978/api/calling';
export const DEFAULT_DATA_DIR = '.switchboard/emulator';

const USAGE = `Usage: npm run replay -- <file-or-folder> [--to <webhook url>] [--app-id <id>] [--tenant-id <id>] [--data-dir <dir>]
  Posts each captured commsNotifications batch (a .json file, or a folder's *.json files in name order) to the app's
  calling webhook, signed with the emulator's calling key, and prints each answer.
  --to         the calling webhook (default ${DEFAULT_WEBHOOK_URL})
  --app-id     the token audience: the bot's app id (default the local app ${DEV_APP_ID})
  --tenant-id  the token's tenant when a capture names none (default ${DEFAULT_TENANT_ID})
  --data-dir   the emulator's data dir holding calling-signing-key.json (default $EMULATOR_DATA_DIR or ${DEFAULT_DATA_DIR})
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
    }, print);
    const sent = results.filter((r) => r.kind === 'sent');
    const accepted = sent.filter((r) => r.ok).length;
    const skipped = results.filter((r) => r.kind === 'skipped').length;
    const failed = results.length - accepted - skipped;
    console.log(`\nReplayed ${results.length} file(s) to ${webhookUrl}: ${accepted} accepted, ${failed} failed, ${skipped} skipped.`);
    return failed > 0 || skipped > 0 ? 1 : 0;
  } catch (err) {
    console.error(err instanceof EmulatorError ? err.message : `Replay failed: ${(err as Error).message}`);
    return 1;
  }
}

function print(r: ReplayResult): void {
  if (r.kind === 'sent') {
    console.log(`${r.file}: ${r.status} ${r.statusText}${r.body ? `\n  ${r.body.replace(/\n/g, '\n  ')}` : ''}`);
  } else if (r.kind === 'skipped') {
    console.log(`${r.file}: skipped, ${r.problem}`);
  } else {
    console.log(`${r.file}: ${r.problem}`);
  }
}

process.exitCode = await main(process.argv.slice(2));
