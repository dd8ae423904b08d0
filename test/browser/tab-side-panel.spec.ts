// The meeting side panel in a real browser (Debian's Chromium) against a real local Switchboard and the emulator: it
// shows the meeting; emulated attendees join, mute and leave and the panel follows; Mute in the panel mutes the
// emulated person; a cut stream shows "Reconnecting…" and recovers with nothing missed and no reload; attendees get no
// controls and outsiders are told they are not in the meeting; mute all reports per person; 1,000 scripted attendees
// render and scroll; axe finds no serious or critical problem; screenshots in light and dark.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { directoryIds, UPN, type PersonName } from '../e2e/people.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { emulatorPeople, meetingWithBot, personJoins, personLeaves, personMutes, type TabMeeting } from '../tab/tab-helpers.js';
import { axeViolations, describeViolations, launchChromium, openTabPage, screenshot, seriousOnes, type TabPage } from './tab-browser.js';

declare const document: any;
declare const window: any;

describe('tab side panel (Chromium)', function () {
  this.timeout(120_000);
  let app: LocalSwitchboard;
  let browser: Browser;
  let meeting: TabMeeting;
  let organizer: TabPage;
  const opened: TabPage[] = [];

  const panelUrl = (meetingKey: string, who: PersonName, theme = 'light') => `${app.url}/tab/side-panel?meeting=${encodeURIComponent(meetingKey)}&user=${encodeURIComponent(UPN[who])}&theme=${theme}`;
  const open = async (meetingKey: string, who: PersonName, theme = 'light', viewport?: { width: number; height: number }) => {
    const tab = await openTabPage(browser, panelUrl(meetingKey, who, theme), viewport);
    opened.push(tab);
    return tab;
  };
  const ready = (page: Page) => page.waitForSelector('main[data-state="ready"]', { timeout: 20_000 });
  const row = (page: Page, name: string) => page.locator(`[data-row-id][data-name="${name}"]`);
  const waitFor = (page: Page, fn: (arg: any) => unknown, arg: unknown, what: string) =>
    page.waitForFunction(fn, arg, { timeout: 20_000 }).catch((err: Error) => {
      throw new Error(`${what}: ${err.message}`);
    });

  before(async () => {
    app = await startLocalSwitchboard({ emulatorOptions: { rosterBatchMs: 25 } });
    meeting = await meetingWithBot(app);
    await personJoins(app, meeting.meetingKey, 'mateo');
    browser = await launchChromium();
    organizer = await open(meeting.meetingKey, 'mateo');
    await ready(organizer.page);
  });
  after(async () => {
    for (const tab of opened) await tab.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });
  afterEach(function () {
    const problems = opened.flatMap((t) => t.problems);
    if (this.currentTest?.state === 'passed') assert.deepEqual(problems, [], 'no page errors or CSP violations');
  });

  it('shows the meeting: subject, time, organizer, join link, the bot in it, and who is here', async () => {
    const { page } = organizer;
    assert.equal(await page.locator('#meeting-subject').textContent(), 'Quarterly planning');
    assert.match((await page.locator('header').textContent()) ?? '', /Organized by Mateo Alvarez/);
    assert.match((await page.locator('header a', { hasText: 'Join link' }).getAttribute('href')) ?? '', /^https:\/\//);
    assert.equal(await page.locator('#bot-state').getAttribute('data-bot-state'), 'joined');
    await row(page, 'Mateo Alvarez').waitFor();
    assert.match((await row(page, 'Mateo Alvarez').getAttribute('aria-label')) ?? '', /Mateo Alvarez, Organizer/);
    assert.equal(await page.locator('[data-row-id][data-name="Switchboard (local)"]').count(), 0, 'the bot is shown in the header, not as a person');
  });

  it('follows emulated attendees as they join, mute and leave (and says so to screen readers)', async () => {
    const { page } = organizer;
    await personJoins(app, meeting.meetingKey, 'priya');
    await personJoins(app, meeting.meetingKey, 'jonas');
    await row(page, 'Priya Raman').waitFor();
    await row(page, 'Jonas Lindqvist').waitFor();
    await personMutes(app, meeting.meetingKey, 'priya');
    await waitFor(page, () => document.querySelector('[data-name="Priya Raman"]')?.getAttribute('data-muted') === 'true', undefined, 'Priya shown muted');
    await personLeaves(app, meeting.meetingKey, 'jonas');
    await row(page, 'Jonas Lindqvist').waitFor({ state: 'detached' });
    await waitFor(page, () => /Jonas Lindqvist left/.test(document.querySelector('#roster-live')?.textContent ?? ''), undefined, 'the live region says who left');
    assert.match((await page.locator('#roster-counts').textContent()) ?? '', /2 people · 1 muted/);
  });

  it('Mute in the panel mutes the emulated participant', async () => {
    const { page } = organizer;
    await personJoins(app, meeting.meetingKey, 'hana');
    await row(page, 'Hana Sato').waitFor();
    await page.locator('button[aria-label="Mute Hana Sato"]').click();
    await eventually(async () => (await emulatorPeople(app, meeting.meetingKey)).find((p) => p.personId === meeting.ids.hana)?.isMuted === true, 'Hana muted in the emulator');
    await waitFor(page, () => document.querySelector('[data-name="Hana Sato"]')?.getAttribute('data-muted') === 'true', undefined, 'Hana shown muted');
    assert.equal(await page.locator('button[aria-label="Mute Hana Sato"]').count(), 0, 'no Mute button once muted');
    assert.equal(await page.locator('button[aria-label="Mute Mateo Alvarez"]').count(), 0, 'none on your own row');
  });

  it('a cut stream shows "Reconnecting…", then recovers with nothing missed and no reload', async () => {
    const { page } = organizer;
    const snapshotsBefore = await page.locator('main').getAttribute('data-snapshots');
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    await page.route('**/stream', (route) => route.abort());
    app.tab.disconnectStreams();
    await page.locator('#stream-status', { hasText: 'Reconnecting' }).waitFor();
    // Changes while the panel is cut off.
    await personJoins(app, meeting.meetingKey, 'grace');
    await personMutes(app, meeting.meetingKey, 'hana', false);
    await eventually(async () => (await app.meetings.roster(meeting.meetingKey)).entries.some((e) => e.displayName === 'Grace Whitfield'), 'Grace in the roster');
    assert.equal(await row(page, 'Grace Whitfield').count(), 0, 'not shown while cut off');
    await page.unroute('**/stream');
    await page.evaluate(() => window.dispatchEvent(new window.Event('online')));
    await row(page, 'Grace Whitfield').waitFor();
    await waitFor(page, () => document.querySelector('[data-name="Hana Sato"]')?.getAttribute('data-muted') === 'false', undefined, 'Hana shown unmuted');
    await waitFor(page, () => document.querySelector('main')?.getAttribute('data-stream') === 'live', undefined, 'live again');
    assert.equal(await page.locator('#stream-status').count(), 0);
    assert.equal(await page.locator('main').getAttribute('data-snapshots'), snapshotsBefore, 'resumed from Last-Event-ID, no snapshot reload');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no page reload');
    const version = Number(await page.locator('main').getAttribute('data-roster-version'));
    assert.equal(version, (await app.meetings.roster(meeting.meetingKey)).version, 'at the roster\'s version');
  });

  it('local mode without ?user=: pick an emulated person, then the panel is theirs', async () => {
    const tab = await openTabPage(browser, `${app.url}/tab/side-panel?meeting=${encodeURIComponent(meeting.meetingKey)}`);
    opened.push(tab);
    const { page } = tab;
    await page.locator('#dev-user').waitFor();
    const pickerProblems = seriousOnes(await axeViolations(page));
    assert.deepEqual(pickerProblems, [], describeViolations(pickerProblems));
    await page.locator('#dev-user').selectOption({ label: 'Jonas Lindqvist — Sales Manager' });
    await page.getByRole('button', { name: 'Continue as Jonas Lindqvist' }).click();
    await ready(page);
    assert.match((await page.locator('footer').textContent()) ?? '', /you are Jonas Lindqvist/);
    assert.equal(await page.locator('#tab-controls').count(), 0, 'an invited attendee has no controls');
    await tab.close();
  });

  it('an attendee gets the roster without controls; someone not in the meeting is told so', async () => {
    const priya = await open(meeting.meetingKey, 'priya');
    await ready(priya.page);
    await row(priya.page, 'Mateo Alvarez').waitFor();
    assert.equal(await priya.page.locator('#tab-controls').count(), 0);
    assert.equal(await priya.page.locator('button[data-action="mute"]').count(), 0);
    const elif = await open(meeting.meetingKey, 'elif');
    await elif.page.waitForSelector('main[data-state="error"]');
    assert.equal(await elif.page.locator('main').getAttribute('data-error-code'), 'tab/not-a-participant');
    assert.match((await elif.page.locator('main').textContent()) ?? '', /You are not in this meeting/);
    await priya.close();
    await elif.close();
  });

  it('a meeting the bot is not in: its call events show the call in progress, who is there, and its end', async () => {
    const ids = await directoryIds(app);
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const created = await app.meetings.create({ organizerId: ids.mateo, subject: 'Without the bot', start, end: new Date(start.getTime() + 3_600_000), attendees: [{ userId: ids.jonas }] });
    const key = created.chatInfo!.threadId;
    await eventually(async () => (await app.callEvents?.stored(key))?.id !== undefined, 'the meeting\'s call events subscribed');
    await personJoins(app, key, 'jonas');
    const jonas = await open(key, 'jonas');
    await ready(jonas.page);
    await row(jonas.page, 'Jonas Lindqvist').waitFor();
    await waitFor(jonas.page, () => document.querySelector('#meeting-call')?.getAttribute('data-call-state') === 'started', undefined, 'the call in progress');
    assert.equal(await jonas.page.locator('#bot-state').getAttribute('data-bot-state'), 'absent');
    await personJoins(app, key, 'priya');
    await row(jonas.page, 'Priya Raman').waitFor();
    await personLeaves(app, key, 'priya');
    await personLeaves(app, key, 'jonas');
    await waitFor(jonas.page, () => document.querySelector('#meeting-call')?.getAttribute('data-call-state') === 'ended', undefined, 'the call ended, live');
    await jonas.close();
  });

  it('controls: mute everyone (confirmed, with the unmute note and per-person results)', async () => {
    const { page } = organizer;
    await page.locator('#tab-controls').click();
    assert.match((await page.locator('#meeting-controls').textContent()) ?? '', /Graph cannot unmute others: they unmute themselves/);
    await page.locator('button[data-action="mute-all"]').click();
    await page.locator('button[data-action="confirm-mute-all"]').click();
    await page.locator('#mute-all-results li').first().waitFor({ timeout: 20_000 });
    const outcomes = await page.locator('#mute-all-results li').evaluateAll((items: any[]) => items.map((li) => `${li.textContent}`));
    assert.ok(outcomes.some((o) => /Priya Raman: already muted/.test(o)), outcomes.join('; '));
    assert.ok(outcomes.some((o) => /Grace Whitfield: muted/.test(o)), outcomes.join('; '));
    assert.ok(!outcomes.some((o) => /Mateo Alvarez/.test(o)), 'the organizer who asked is not muted');
    await eventually(async () => (await emulatorPeople(app, meeting.meetingKey)).find((p) => p.personId === meeting.ids.grace)?.isMuted === true, 'Grace muted in the emulator');
    await page.locator('#tab-people').click();
  });

  it('no serious or critical accessibility problem (axe-core), on the roster and on the controls', async () => {
    const { page } = organizer;
    await row(page, 'Mateo Alvarez').waitFor();
    const roster = seriousOnes(await axeViolations(page));
    assert.deepEqual(roster, [], describeViolations(roster));
    await page.locator('#tab-controls').click();
    await page.locator('#meeting-controls').waitFor();
    const controls = seriousOnes(await axeViolations(page));
    assert.deepEqual(controls, [], describeViolations(controls));
    await page.locator('#tab-people').click();
  });

  it('keyboard: Tab reaches the roster, arrows move between people', async () => {
    const { page } = organizer;
    await page.locator('#roster-search').focus();
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.getAttribute('data-name'));
    assert.ok(first, 'a roster row has focus');
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-name'));
    assert.ok(second && second !== first, `${first} → ${second}`);
    await page.keyboard.press('Home');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-name')), first);
  });

  it('screenshots: the side panel in light and dark', async () => {
    const light = await open(meeting.meetingKey, 'mateo', 'light');
    await ready(light.page);
    await row(light.page, 'Mateo Alvarez').waitFor();
    await screenshot(light.page, 'tab-side-panel-light');
    await light.page.locator('#tab-controls').click();
    await screenshot(light.page, 'tab-side-panel-controls-light');
    await light.close();
    const dark = await open(meeting.meetingKey, 'mateo', 'dark');
    await ready(dark.page);
    await row(dark.page, 'Mateo Alvarez').waitFor();
    await screenshot(dark.page, 'tab-side-panel-dark');
    await dark.page.locator('#tab-controls').click();
    await screenshot(dark.page, 'tab-side-panel-controls-dark');
    const darkProblems = seriousOnes(await axeViolations(dark.page));
    assert.deepEqual(darkProblems, [], describeViolations(darkProblems));
    await dark.close();
  });

  it('the configurable tab\'s config page explains itself outside Teams (it names the side panel URL it saves)', async () => {
    const tab = await openTabPage(browser, `${app.url}/tab/config`, { width: 600, height: 400 });
    opened.push(tab);
    await tab.page.locator('code', { hasText: `${app.url}/tab/side-panel` }).waitFor();
    const problems = seriousOnes(await axeViolations(tab.page));
    assert.deepEqual(problems, [], describeViolations(problems));
    await tab.close();
  });

  it('1,000 scripted attendees render (a window of rows in the DOM) and scroll to the last one', async () => {
    const big = await meetingWithBot(app, 'Town hall');
    await personJoins(app, big.meetingKey, 'mateo');
    const script = await app.emulatorJson('POST', `/emulator/meetings/${encodeURIComponent(big.meetingKey)}/script`, { count: 999, overSeconds: 1, people: 'synthetic', seed: 'tab-town-hall' });
    assert.equal(script.status, 201, JSON.stringify(script.body));
    const tab = await open(big.meetingKey, 'mateo');
    const { page } = tab;
    await ready(page);
    await waitFor(page, () => document.querySelector('#roster-scroller')?.getAttribute('data-total-rows') === '1000', undefined, '1,000 people in the panel');
    assert.match((await page.locator('#roster-counts').textContent()) ?? '', /^1000 people/);
    const rendered = await page.locator('[data-row-id]').count();
    assert.ok(rendered > 5 && rendered < 80, `${rendered} rows in the DOM for 1,000 people`);
    await page.locator('#roster-scroller').evaluate((el: any) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.locator('[data-row-id][aria-posinset="1000"]').waitFor();
    assert.ok((await page.locator('[data-row-id]').count()) < 80, 'still a window after scrolling');
    await page.locator('#roster-search').fill('zz-no-such-person');
    await page.locator('text=Nobody by that name').waitFor();
    await page.locator('#roster-search').fill('');
    await screenshot(page, 'tab-side-panel-1000');
    await tab.close();
  });
});
