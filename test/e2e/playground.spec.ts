// Chat through the Microsoft 365 Agents Playground — the local Teams chat client Bot Framework developers use —
// against the running app in local mode: messages go in over its REST API, the bot's replies and in-place card
// updates come back on its WebSocket, and the calls happen for real against the emulator.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, WebSocket } from 'undici';
import { eventually, freePort, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, behave, truth } from './people.js';

const PLAYGROUND = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
const CONVERSATION = 'switchboard-playground-test';

interface Frame {
  action: string;
  actionConversationId: string;
  message: { messageId: string; from?: { id: string }; text?: string; attachments?: Array<{ contentType: string; content: unknown }> };
}

describe('chat through the Agents Playground (local mode)', function () {
  this.timeout(90_000);
  let app: LocalSwitchboard;
  let playground: ChildProcess;
  let base: string;
  let socket: WebSocket;
  const frames: Frame[] = [];
  let userId: string;
  let botId: string;

  before(async () => {
    app = await startLocalSwitchboard();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    playground = spawn(process.execPath, [PLAYGROUND, '-e', `${app.url}/api/messages`, '-c', 'msteams', '--dt', '-p', String(port), '--conversation-id', CONVERSATION], {
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: join(mkdtempSync(join(tmpdir(), 'sb-playground-')), 'playground.log') },
      stdio: 'ignore',
    });
    await eventually(async () => (await (await request(`${base}/_debug/ping`)).body.text()) === 'pong', 'the playground to start', 30_000);
    const config = (await (await request(`${base}/_internal/v1/config`)).body.json()) as { config: { currentUser: { id: string }; bot: { id: string } } };
    userId = config.config.currentUser.id;
    botId = config.config.bot.id;
    socket = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
    socket.addEventListener('message', (event) => frames.push(JSON.parse(String(event.data)) as Frame));
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () => reject(new Error('the playground stream did not open')));
    });
  });

  after(async () => {
    socket?.close();
    playground?.kill('SIGTERM');
    await app?.stop();
  });

  const fromBot = (f: Frame) => f.actionConversationId === CONVERSATION && f.message?.from?.id === botId;
  const card = (f: Frame) => JSON.stringify(f.message.attachments?.[0]?.content ?? {});

  async function say(text: string): Promise<Frame> {
    const before = frames.length;
    const res = await request(`${base}/_conversation/v1/conversations/${CONVERSATION}/messages`, {
      method: 'POST',
      body: JSON.stringify({ from: { id: userId }, text, textFormat: 'plain' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 200);
    await res.body.text();
    return eventually(() => frames.slice(before).find((f) => f.action === 'createMessage' && fromBot(f)), `the bot's answer to "${text}"`, 20_000);
  }

  it('"help" returns the help card', async () => {
    const reply = await say('help');
    assert.equal(reply.message.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(card(reply), /Switchboard/);
    assert.match(card(reply), /call ‹person›/, 'placeholders stay visible');
  });

  it('"call <user>" rings the emulated user, and the call card updates in place as they answer and hang up', async () => {
    await behave(app, 'hana', 'manual');
    const reply = await say('call Hana Sato');
    assert.match(card(reply), /Call with Hana Sato/);
    const call = await eventually(async () => (await app.calls.listCalls({ live: true })).find((c) => c.purpose === 'chat-call'), 'the call');
    await eventually(async () => (await truth(app, call.id)).ringing?.length > 0, 'Hana ringing');
    await act(app, call.id, 'answer', { person: 'hana.sato@switchboard.test' });
    await eventually(() => frames.find((f) => f.action === 'updateMessage' && f.message.messageId === reply.message.messageId && /Connected/.test(card(f))), 'the card to say Connected', 20_000);
    await act(app, call.id, 'hangup', { person: 'hana.sato@switchboard.test' });
    await eventually(() => frames.find((f) => f.action === 'updateMessage' && f.message.messageId === reply.message.messageId && /Ended/.test(card(f))), 'the card to say Ended', 20_000);
  });

  it('"remind <user> in 2 seconds …" produces the reminder call and a card with its outcome', async () => {
    await behave(app, 'priya', 'answer');
    const reply = await say('remind Priya Raman in 2 seconds to check the build');
    assert.match(card(reply), /Reminder call for Priya Raman/);
    const reminder = await eventually(async () => (await app.reminders.list({ pendingOnly: true }))[0], 'the reminder');
    const callId = await eventually(async () => (await app.reminders.get(reminder.id))?.callId, 'the reminder call', 20_000);
    await eventually(async () => (await truth(app, callId)).prompts[0]?.status === 'played', 'the spoken reminder');
    await act(app, callId, 'tones', { tones: '1' });
    await eventually(() => frames.find((f) => f.action === 'updateMessage' && f.message.messageId === reply.message.messageId && /Confirmed/.test(card(f))), 'the card to say Confirmed', 20_000);
  });
});
