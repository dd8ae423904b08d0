// The command menu Teams shows (the manifest's commandLists) and the commands the bot really has (bot/commands)
// agree: every listed command runs something, and every command the bot has is listed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from '../../bot/commands/command.js';
import { splitCommand } from '../../bot/commands/parse.js';
import { welcomeCommands, type WelcomeScope } from '../../bot/cards/welcome-card.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMMANDS_DIR = fileURLToPath(new URL('../../bot/commands/', import.meta.url));

/** Every command factory exported by bot/commands/*.ts (factories take their services only when run). */
async function botCommands(): Promise<Command[]> {
  const commands: Command[] = [];
  for (const file of readdirSync(COMMANDS_DIR).filter((f) => f.endsWith('.js'))) {
    const module = (await import(pathToFileURL(`${COMMANDS_DIR}${file}`).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (!name.endsWith('Command') || typeof value !== 'function') continue;
      let made: unknown;
      try {
        made = (value as (arg?: never) => unknown)();
      } catch {
        continue; // a helper such as splitCommand, not a command factory
      }
      const command = made as Partial<Command> | undefined;
      if (typeof command?.name === 'string' && typeof command.run === 'function') commands.push(command as Command);
    }
  }
  return commands;
}

describe('manifest command lists', () => {
  const manifest = JSON.parse(readFileSync(`${ROOT}manifest.json`, 'utf8'));
  const lists = manifest.bots[0].commandLists as Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;

  it('has one list per bot scope', () => {
    assert.deepEqual(lists.map((l) => l.scopes.join()).sort(), [...manifest.bots[0].scopes].sort());
  });

  it('lists only commands the bot has (title parsed as a chat message would be)', async () => {
    const commands = await botCommands();
    assert.ok(commands.length >= 7, `found ${commands.length} command factories`);
    for (const list of lists) {
      for (const { title } of list.commands) {
        const { word } = splitCommand(title);
        assert.ok(commands.some((c) => c.name === word || c.aliases?.includes(word)), `"${title}" (${list.scopes}) is a command the bot has`);
      }
    }
  });

  it('suggests in each scope the commands the welcome card tells people to try there', () => {
    const scopes: Array<[WelcomeScope, string]> = [['personal', 'personal'], ['team', 'team'], ['groupChat', 'groupChat'], ['meeting', 'groupChat']];
    for (const [welcome, scope] of scopes) {
      const listed = lists.find((l) => l.scopes.includes(scope))!.commands.map((c) => splitCommand(c.title).word);
      for (const step of welcomeCommands(welcome)) assert.ok(listed.includes(splitCommand(step).word), `the ${welcome} welcome's "${step}" is suggested in ${scope}`);
    }
  });

  it('lists every command the bot has in at least one scope (a list holds at most 12)', async () => {
    const words = lists.flatMap((list) => list.commands.map((c) => splitCommand(c.title).word));
    for (const command of await botCommands()) {
      assert.ok(words.includes(command.name) || command.aliases?.some((a) => words.includes(a)), `"${command.usage}" is listed`);
    }
  });
});
