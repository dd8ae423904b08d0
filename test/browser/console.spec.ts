// The emulator's web console in a real browser (Debian's Chromium, headless): a person calls the bot, hears its
// prompt, presses a key, says a sentence, hangs up, and answers the bot's call — all against a real local Switchboard.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const HANA_UPN = 'hana.sato@switchboard.test';

// Functions passed to page.evaluate run in the browser; the project compiles without the DOM library.
declare const document: any;

describe('emulator web console (Chromium)', function () {
  this.timeout(120_000);
  let app: LocalSwitchboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let consoleUrl: string;
  const problems: string[] = [];

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: run 'node test/support/ensure-test-packages.mjs' (npm test runs it first).`);
    }
    app = await startLocalSwitchboard();
    consoleUrl = `${app.emulator!.url}/emulator/console`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
    });
    context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  // Each test starts with Hana in no call, whatever an earlier test left behind.
  beforeEach(async () => {
    const hana = (await app.emulatorJson('GET', '/emulator/people')).body.value.find((p: { userPrincipalName: string }) => p.userPrincipalName === HANA_UPN);
    for (const callId of hana.callIds as string[]) await app.emulatorJson('POST', `/emulator/calls/${callId}/hangup`, { person: hana.id });
  });

  const callState = () => page.locator('#call-state');
  const stateOf = () => callState().getAttribute('data-state');
  const waitForState = (state: string, what: string) => page.waitForFunction(
    (s) => document.querySelector('#call-state')?.getAttribute('data-state') === s,
    state,
    { timeout: 20_000 },
  ).catch(async (err: Error) => {
    throw new Error(`${what}: the console shows '${await callState().textContent()}' (${await stateOf()}): ${err.message}`);
  });

  it('serves the page, script and styles with a self-only Content-Security-Policy and nosniff', async () => {
    for (const [path, type] of [['', 'text/html'], ['/console.js', 'text/javascript'], ['/console.css', 'text/css']] as const) {
      const res = await request(consoleUrl + path, { dispatcher: app.emulatorAgent });
      await res.body.text();
      assert.equal(res.statusCode, 200, path);
      assert.match(String(res.headers['content-type']), new RegExp(`^${type}`), path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /connect-src 'self'(;|$)/);
      assert.match(csp, /media-src \*/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    }
    const index = await app.emulatorJson('GET', '/emulator');
    assert.ok(index.body.routes.some((r: { path: string }) => r.path === '/emulator/console'), 'the control index lists the console');
  });

  it('lets a person call the bot, hear its prompt, press a key and hang up', async () => {
    await page.goto(consoleUrl);
    await page.locator('#connection.live').waitFor();
    assert.equal(await callState().textContent(), 'Pick a person, then press Call the bot.');

    await page.getByLabel('Act as emulated person').selectOption({ label: 'Hana Sato' });
    await page.getByText('No calls yet — press Call the bot.').first().waitFor();
    const people = await app.emulatorJson('GET', '/emulator/people');
    const hana = people.body.value.find((p: { userPrincipalName: string }) => p.userPrincipalName === HANA_UPN);
    assert.equal(hana.behavior.onCall, 'manual', 'choosing a person keeps how they answer (the test emulator\'s people answer by hand)');
    assert.equal(await page.getByLabel(/Answer this person's calls by hand/).isChecked(), true, 'the checkbox shows it');

    await page.getByRole('button', { name: 'Call the bot' }).click();
    await waitForState('established', 'the call to connect');
    assert.equal(await callState().textContent(), 'Connected to the bot');
    assert.equal(await callState().getAttribute('aria-live'), 'polite');
    const callId = (await callState().getAttribute('data-call-id'))!;
    assert.ok(callId, 'the console names the call it shows');
    assert.equal((await app.emulatorJson('GET', `/emulator/calls/${callId}`)).body.state, 'established');
    await eventually(async () => (await app.calls.getCall(callId))?.state === 'established', 'the app to see the call established');

    // The front desk answers and plays its menu: the console plays the same WAV from the app's origin.
    await page.waitForFunction((origin) => document.querySelector('#prompt-audio')?.src.startsWith(origin), app.url, { timeout: 20_000 });
    assert.match((await page.locator('#prompt-now').textContent())!, /prompt/i);
    // The words the app spoke, not the prompt's file hash (local mode tells the emulator what its prompts say).
    // (Hana is one of the sample front desk's German-speaking callers: she hears the German menu.)
    await page.locator('#prompt-now', { hasText: /“Vielen Dank für Ihren Anruf bei Switchboard\./ }).waitFor({ timeout: 10_000 });
    assert.doesNotMatch((await page.locator('#prompt-now').textContent())!, /[0-9a-f]{8}…\.wav/);
    await page.locator('#log-list li', { hasText: 'the bot says “Vielen Dank' }).first().waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: 'Key 9' }).click();
    await page.locator('#log-list li', { hasText: 'Hana Sato pressed 9' }).first().waitFor({ timeout: 10_000 });
    const tones = (await app.emulatorJson('GET', `/emulator/calls/${callId}`)).body.tones as Array<{ tone: string }>;
    assert.ok(tones.some((t) => /^(tone)?9$/.test(t.tone)), `the emulator heard the key: ${JSON.stringify(tones)}`);
    await page.locator('#log-list li', { hasText: /GET|POST/ }).first().waitFor({ timeout: 10_000 });

    await page.screenshot({ path: join(ARTIFACTS, 'console.png'), fullPage: true });

    await page.getByRole('button', { name: 'Hang up' }).click();
    await waitForState('terminated', 'the call to end');
    assert.match((await callState().textContent())!, /^Call ended/);
    assert.equal((await app.emulatorJson('GET', `/emulator/calls/${callId}`)).body.state, 'terminated');
    assert.ok(await page.getByRole('button', { name: 'Call the bot' }).isEnabled(), 'the person can call again');
  });

  it('rings visibly when the bot calls the person, who answers by hand', async () => {
    const hana = (await app.emulatorJson('GET', '/emulator/people')).body.value.find((p: { userPrincipalName: string }) => p.userPrincipalName === HANA_UPN);
    const placing = app.calls.placeCall({ target: { kind: 'user', id: hana.id } });
    const answer = page.getByRole('button', { name: 'Answer' });
    await answer.waitFor({ timeout: 15_000 });
    assert.match((await page.locator('#ringing-list li').first().textContent())!, /The bot is calling you/);
    assert.ok(await page.getByRole('button', { name: 'Decline' }).isVisible());
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(ARTIFACTS, 'console-ringing-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    await answer.click();
    const session = await placing;
    await waitForState('established', 'the answered call to connect');
    assert.equal(await callState().getAttribute('data-call-id'), session.id);
    await eventually(async () => (await app.calls.getCall(session.id))?.state === 'established', 'the app to see its call answered');
    assert.equal(await page.locator('#ringing-list li').count(), 0, 'nothing rings once answered');

    await page.getByRole('button', { name: 'Hold' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Hold' }).waitFor();
    await page.getByRole('button', { name: 'Hang up' }).click();
    await waitForState('terminated', 'the call to end');
  });

  it('the checkbox switches the person between answering by hand and by themselves, and the emulator keeps it', async () => {
    await page.goto(`${consoleUrl}?person=${encodeURIComponent(HANA_UPN)}`);
    await page.locator('#connection.live').waitFor();
    const byHand = page.getByLabel(/Answer this person's calls by hand/);
    await page.locator('#person-hint', { hasText: 'You are Hana Sato' }).waitFor();
    assert.equal(await byHand.isChecked(), true);
    const behaviorOf = async () => (await app.emulatorJson('GET', '/emulator/people')).body.value.find((p: { userPrincipalName: string }) => p.userPrincipalName === HANA_UPN).behavior.onCall;

    await byHand.uncheck();
    await eventually(async () => (await behaviorOf()) === 'auto', 'Hana on auto');
    await page.locator('#person-hint', { hasText: 'answers the bot\'s calls after a couple of rings' }).waitFor();
    await page.locator('#log-list li', { hasText: 'Hana Sato now answers by themselves' }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'console-answers-by-themselves.png'), fullPage: true });
    await page.reload();
    await page.locator('#person-hint', { hasText: 'after a couple of rings' }).waitFor();
    assert.equal(await byHand.isChecked(), false, 'after a reload the page shows what the emulator keeps');

    await byHand.check();
    await eventually(async () => (await behaviorOf()) === 'manual', 'Hana by hand again');
    await page.locator('#person-hint', { hasText: 'ring here until you answer or decline' }).waitFor();
  });

  it('Say…: Enter sends a sentence to the bot\'s recording (a refusal is shown), and the log tells how long, never the words', async () => {
    const hana = (await app.emulatorJson('GET', '/emulator/people')).body.value.find((p: { userPrincipalName: string }) => p.userPrincipalName === HANA_UPN);
    const placing = app.calls.placeCall({ target: { kind: 'user', id: hana.id } });
    const answer = page.getByRole('button', { name: 'Answer' });
    await answer.waitFor({ timeout: 15_000 });
    await answer.click();
    const session = await placing;
    await waitForState('established', 'the answered call to connect');

    const sayBox = page.getByLabel('Say…');
    await sayBox.fill('billing please');
    await sayBox.press('Enter');
    await page.locator('#error', { hasText: 'Nobody is listening' }).waitFor({ timeout: 10_000 });
    assert.equal(await sayBox.inputValue(), 'billing please', 'a refused sentence stays in the box');
    // Chromium logs the refused request (409) as a failed resource load: expected here, not a script problem.
    await eventually(() => problems.some((p) => /status of 409 \(Conflict\)/.test(p)), 'the 409 to be logged');
    problems.splice(0, problems.length, ...problems.filter((p) => !/status of 409 \(Conflict\)/.test(p)));

    const recording = app.calls.recordResponse(session.id, { initialSilenceTimeoutInSeconds: 60, maxSilenceTimeoutInSeconds: 1, maxRecordDurationInSeconds: 60 });
    await eventually(async () => (await app.emulatorJson('GET', `/emulator/calls/${session.id}`)).body.listeningOperationId !== null, 'the bot to listen');
    await sayBox.fill('my headset stopped working');
    await page.getByRole('button', { name: 'Send' }).click();
    const recorded = await recording;
    assert.equal(recorded.audio.toString('ascii', 0, 4), 'RIFF', 'the bot downloaded a WAV of the sentence');
    assert.ok(recorded.audio.length > 16_000 * 2, 'more than a second of audio');
    await page.locator('#log-list li', { hasText: /Hana Sato spoke \([\d.]+ s\) — recorded/ }).first().waitFor({ timeout: 10_000 });
    assert.equal(await sayBox.inputValue(), '', 'a sentence that was said leaves the box');
    assert.equal(await page.locator('#error').textContent(), '');
    const log = (await page.locator('#log-list').textContent()) ?? '';
    assert.ok(!log.includes('headset'), 'the words are not in the log');

    await page.getByRole('button', { name: 'Hang up' }).click();
    await waitForState('terminated', 'the call to end');
    assert.ok(await sayBox.isDisabled(), 'nothing to say to once the call has ended');
  });

  it('is operable by keyboard and names every control (accessibility sanity check)', async () => {
    const unnamed = await page.evaluate(() => {
      const out: string[] = [];
      for (const b of document.querySelectorAll('button')) {
        const name = (b.getAttribute('aria-label') ?? b.textContent ?? '').trim();
        if (!name) out.push(b.outerHTML);
      }
      for (const field of document.querySelectorAll('select, input')) {
        if (field.labels?.length === 0 && !field.getAttribute('aria-label')) out.push(field.outerHTML);
      }
      for (const live of ['#call-state', '#incoming-live', '#prompt-now']) {
        if (!document.querySelector(live)?.getAttribute('aria-live')) out.push(`${live} is not a live region`);
      }
      if (!document.documentElement.lang) out.push('the page has no lang');
      return out;
    });
    assert.deepEqual(unnamed, []);

    // Keyboard only: focus the person picker, tab to "Call the bot", press Enter, then type a key.
    await page.reload();
    await page.locator('#connection.live').waitFor();
    await page.locator('#person').focus();
    let focused = '';
    for (let i = 0; i < 10 && focused !== 'dial'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    assert.equal(focused, 'dial', 'Tab reaches Call the bot');
    await page.keyboard.press('Enter');
    await waitForState('established', 'the keyboard-dialled call to connect');
    const pressedNine = () => page.locator('#log-list li', { hasText: 'Hana Sato pressed 9' }).count();
    const before = await pressedNine();
    await page.keyboard.press('9');
    await eventually(async () => (await pressedNine()) > before, 'the typed key to reach the log');
    await page.getByRole('button', { name: 'Hang up' }).press('Enter');
    await waitForState('terminated', 'the call to end');
    assert.deepEqual(problems, [], 'no script errors or CSP violations');
  });

  it('a phone on the emulated phone network calls the bot\'s number (its application instance) and the front desk answers', async () => {
    await page.goto(consoleUrl);
    await page.locator('#connection.live').waitFor();
    await page.getByLabel('Act as emulated person').selectOption({ label: '+442079460958' });
    await page.getByRole('button', { name: 'Call the bot' }).click();
    await waitForState('established', 'the PSTN call to connect');
    const callId = (await callState().getAttribute('data-call-id'))!;
    const session = await eventually(async () => { const s = await app.calls.getCall(callId); return s?.state === 'established' && s; }, 'the app to answer');
    assert.equal((session.source?.identity?.phone as { id?: string } | undefined)?.id, '+442079460958');
    assert.ok(session.targets?.[0]?.identity?.applicationInstance, 'the call came to the application instance');
    await page.getByRole('button', { name: 'Key 9' }).click();
    await page.locator('#log-list li', { hasText: 'pressed 9' }).first().waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Hang up' }).click();
    await waitForState('terminated', 'the call to end');
    assert.deepEqual(problems, [], 'no script errors or CSP violations');
  });
});
