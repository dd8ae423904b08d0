// Chat through the Microsoft 365 Agents Playground — the local Teams chat client Bot Framework developers use —
// against the running app in local mode, with the configuration Switchboard ships (.m365agentsplayground.yml, you are
// Amara Okafor): messages and card buttons go in over its REST API, the bot's replies and in-place card updates come
// back on its WebSocket, and the calls and meetings happen for real against the emulator. It follows the README's
// walkthrough (README › Local mode › The Teams tab, step 2).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, WebSocket } from 'undici';
import { eventually, freePort, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, behave, truth } from './people.js';
import { ARTIFACTS, launchChromium } from '../browser/tab-browser.js';

const PLAYGROUND = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
const SHIPPED_CONFIG = fileURLToPath(new URL('../../../.m365agentsplayground.yml', import.meta.url));

interface Frame {
  action: string;
  actionConversationId: string;
  message: { messageId: string; from?: { id: string }; text?: string; attachments?: Array<{ contentType: string; content: any }> };
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
  let CONVERSATION: string;
  let currentUser: { id: string; name: string; aadObjectId: string };

  before(async () => {
    app = await startLocalSwitchboard();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    playground = spawn(process.execPath, [PLAYGROUND, '-e', `${app.url}/api/messages`, '-c', 'msteams', '--dt', '-p', String(port)], {
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: SHIPPED_CONFIG,
        M365_AGENTS_PLAYGROUND_LOGFILE: join(mkdtempSync(join(tmpdir(), 'sb-playground-')), 'playground.log'),
      },
      stdio: 'ignore',
    });
    await eventually(async () => (await (await request(`${base}/_debug/ping`)).body.text()) === 'pong', 'the playground to start', 30_000);
    const config = (await (await request(`${base}/_internal/v1/config`)).body.json()) as { config: { currentUser: typeof currentUser; bot: { id: string }; personalChat: { id: string } } };
    currentUser = config.config.currentUser;
    userId = currentUser.id;
    botId = config.config.bot.id;
    CONVERSATION = config.config.personalChat.id;
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

  it('runs with the shipped configuration: you are Amara Okafor, an emulated person with her real object id', async () => {
    const users = (await app.emulatorJson('GET', '/emulator/users')).body.value as Array<{ id: string; userPrincipalName: string }>;
    assert.equal(currentUser.name, 'Amara Okafor');
    assert.equal(currentUser.aadObjectId, users.find((u) => u.userPrincipalName === 'amara.okafor@switchboard.test')!.id);
  });

  it('installing the app gives one welcome card with the three things to try first', async () => {
    const before = frames.length;
    const res = await request(`${base}/_debug/conversation/${encodeURIComponent(CONVERSATION)}/installation`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 200);
    await res.body.text();
    const welcome = await eventually(() => frames.slice(before).find((f) => f.action === 'createMessage' && fromBot(f) && /Welcome to Switchboard/.test(card(f))), 'the welcome card', 20_000);
    assert.match(card(welcome), /Welcome to Switchboard, Amara!/);
    assert.match(card(welcome), /Three things to try first/);
    assert.doesNotMatch(card(welcome), /not one of the emulated people/);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // both install activities have been handled by now
    assert.equal(frames.slice(before).filter((f) => f.action === 'createMessage' && fromBot(f) && /Welcome to Switchboard/.test(card(f))).length, 1, 'one welcome, not one per install activity');
  });

  it('README walkthrough step 2: "meeting … with …" gives a card whose Bot: join brings the bot in and whose Open side panel link opens the panel', async () => {
    const reply = await say('meeting Design review with Priya Raman, Jonas Lindqvist');
    const content = reply.message.attachments?.[0]?.content as { actions?: Array<{ type: string; title: string; verb?: string; data?: unknown; url?: string }> };
    assert.match(card(reply), /Design review/);
    assert.match(card(reply), /Amara Okafor/, 'the organizer by name');
    assert.match(card(reply), /Priya Raman, Jonas Lindqvist/, 'the invited by name');
    assert.doesNotMatch(card(reply), /@switchboard\.test/, 'names, not e-mail addresses');
    const join = content.actions?.find((a) => a.title === 'Bot: join');
    const panel = content.actions?.find((a) => a.title === 'Open side panel');
    assert.ok(join && join.verb === 'meeting.join', 'a Bot: join button');
    assert.ok(panel?.url?.startsWith(`${app.url}/tab/side-panel?meeting=`), `an Open side panel link: ${panel?.url}`);

    const before = frames.length;
    const invoke = await request(`${base}/_conversation/v1/invoke`, {
      method: 'POST',
      body: JSON.stringify({ name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: join.verb, data: join.data } }, from: { id: userId }, conversation: { id: CONVERSATION }, replyToId: reply.message.messageId }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(invoke.statusCode, 200, await invoke.body.text());
    await eventually(() => frames.slice(before).find((f) => f.action === 'createMessage' && fromBot(f) && /Joining the meeting|already in that meeting/.test(f.message.text ?? '')), 'the bot to say it is joining', 20_000);
    await eventually(async () => (await app.meetings.list({ live: true }))[0], 'the bot in the meeting', 20_000);
    const page = await request(panel!.url!);
    assert.equal(page.statusCode, 200);
    assert.match(await page.body.text(), /<html/i);
  });

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

  it('in the Playground\'s own web client (real Adaptive Cards renderer): placeholders and the walkthrough buttons are visible', async function () {
    this.timeout(120_000);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(base);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await say('hi');
      await say('meeting Design review with Priya Raman, Jonas Lindqvist');
      await page.getByText('Open side panel').last().waitFor({ timeout: 30_000 });
      await page.getByText('Bot: join').last().waitFor({ timeout: 10_000 });
      const shownText = (await page.locator('body').innerText()) as string;
      assert.match(shownText, /call ‹person›/, 'the help card\'s placeholder is visible in the rendered card');
      assert.match(shownText, /Hi Amara!/);
      await page.screenshot({ path: join(ARTIFACTS, 'playground-walkthrough.png'), fullPage: false });
    } finally {
      await browser.close();
    }
  });
});
