// The room boundaries (README › Architecture) are enforced by the lint in `npm test`; this keeps the rules from
// silently going soft: each forbidden import is refused, each allowed one passes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';

const cases: Array<{ file: string; code: string; refused: boolean }> = [
  { file: 'comms/calls/probe.ts', code: "import '../../bot/teams-bot.js';", refused: true },
  { file: 'comms/calls/probe.ts', code: "import '../../tab/server/index.js';", refused: true },
  { file: 'comms/calls/probe.ts', code: "import '../../emulator/index.js';", refused: true },
  { file: 'comms/calls/probe.ts', code: "import '../../server/start.js';", refused: true },
  { file: 'comms/calls/probe.ts', code: "import 'restify';", refused: true },
  { file: 'comms/calls/probe.ts', code: "import { CloudAdapter } from 'botbuilder';", refused: true },
  { file: 'comms/probe.ts', code: "import '../bot/teams-bot.js';", refused: true },
  { file: 'comms/calls/probe.ts', code: "import '../graph/index.js'; import '../runtime/index.js';", refused: false },
  { file: 'comms/understanding/probe.ts', code: "import '../graph/index.js';", refused: true },
  { file: 'comms/understanding/probe.ts', code: "import '../speech/recognition.js';", refused: true },
  { file: 'comms/understanding/probe.ts', code: "import '../../server/config.js';", refused: true },
  { file: 'comms/understanding/probe.ts', code: "import '../runtime/index.js'; import './sentiment.js'; import 'sentiment';", refused: false },
  { file: 'emulator/calls/probe.ts', code: "import '../../comms/calls/index.js';", refused: true },
  { file: 'emulator/probe.ts', code: "import '../server/config.js';", refused: true },
  { file: 'emulator/calls/probe.ts', code: "import '../http/router.js';", refused: false },
  { file: 'bot/commands/probe.ts', code: "import '../../tab/server/index.js';", refused: true },
  { file: 'bot/commands/probe.ts', code: "import '../../emulator/index.js';", refused: true },
  { file: 'bot/commands/probe.ts', code: "import '../../comms/calls/index.js';", refused: false },
  { file: 'tab/server/probe.ts', code: "import '../../bot/conversations.js';", refused: true },
  { file: 'tab/server/probe.ts', code: "import '../../comms/meetings/index.js';", refused: false },
  { file: 'tab/web/probe.ts', code: "import '../../comms/calls/call-service.js';", refused: true },
  { file: 'tab/web/probe.ts', code: "import type { RosterEntry } from '../../comms/meetings/meeting-events.js';", refused: false },
  { file: 'tab/web/probe.ts', code: "import type { QueueStatus } from '../../comms/queues/queue-status.js';", refused: false },
  { file: 'tab/web/probe.ts', code: "import '../../comms/queues/queue-service.js';", refused: true },
  { file: 'emulator/calls/probe.ts', code: "import type { WireCall } from '../../graph-models/index.js';", refused: false },
  { file: 'comms/calls/probe.ts', code: "import type { Graph } from '../../graph-models/index.js';", refused: false },
  { file: 'graph-models/probe.ts', code: "import '../emulator/calls/call-model.js';", refused: true },
  { file: 'graph-models/probe.ts', code: "import '../comms/calls/index.js';", refused: true },
];

describe('architecture: room boundaries are enforced by the lint', function () {
  this.timeout(60_000);
  const eslint = new ESLint();
  for (const c of cases) {
    it(`${c.refused ? 'refuses' : 'allows'} in ${c.file}: ${c.code}`, async () => {
      const [result] = await eslint.lintText(c.code, { filePath: c.file });
      const restricted = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
      assert.equal(restricted.length > 0, c.refused, JSON.stringify(result!.messages));
    });
  }
});

describe('architecture: graph-models/ is types only', () => {
  it('compiles to nothing, so sharing it between the app and the emulator shares no logic', () => {
    const compiled = readFileSync(new URL('../../graph-models/index.js', import.meta.url), 'utf8');
    assert.equal(compiled.replace(/\/\/# sourceMappingURL=.*$/m, '').trim(), 'export {};');
  });
});
