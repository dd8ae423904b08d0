// The personal tab in a real browser against a real local Switchboard and the emulator: someone with no calls is told
// why the list may be empty; a finished call appears (its record arrives shortly after the call ends) with its quality
// badge, and opens with jitter, packet-loss and round-trip charts that have a table alternative; reminders show; axe
// finds no serious or critical problem; screenshots in light and dark.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { act, dial, directoryIds, UPN, type PersonName } from '../e2e/people.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { axeViolations, describeViolations, launchChromium, openTabPage, screenshot, seriousOnes, type TabPage } from './tab-browser.js';

// Functions passed to evaluate run in the browser; the project compiles without the DOM library.
declare const getComputedStyle: any;

describe('tab personal page (Chromium)', function () {
  this.timeout(120_000);
  let app: LocalSwitchboard;
  let browser: Browser;
  let recordId: string;
  let missedId: string;
  const opened: TabPage[] = [];

  const open = async (who: PersonName, theme = 'light', hash = '') => {
    const tab = await openTabPage(browser, `${app.url}/tab/personal?user=${encodeURIComponent(UPN[who])}&theme=${theme}${hash}`, { width: 1000, height: 900 });
    opened.push(tab);
    return tab;
  };

  before(async () => {
    app = await startLocalSwitchboard({ emulatorOptions: { callRecordDelayMs: 100 } });
    const ids = await directoryIds(app);
    const callId = await dial(app, 'amara');
    await eventually(async () => (await app.calls.getCall(callId))?.state === 'established', 'the bot answered', 15_000);
    await act(app, callId, 'hangup', { person: UPN.amara });
    const summary = await eventually(async () => (await app.records.listSummaries()).find((s) => s.participants.some((p) => p.id === ids.amara)), 'the call record', 20_000);
    recordId = summary.id;
    // The bot calls Amara and she declines: a call that never connected, hers and missed.
    const missed = await app.calls.placeCall({ target: { kind: 'user', id: ids.amara } });
    await eventually(async () => (await app.emulatorJson('GET', `/emulator/calls/${missed.id}`)).body.ringing?.length > 0, 'Amara ringing', 15_000);
    await act(app, missed.id, 'decline', { person: UPN.amara });
    const chain = (await app.emulatorJson('GET', `/emulator/calls/${missed.id}`)).body.callChainId as string;
    missedId = (await eventually(async () => (await app.records.listSummaries()).find((s) => s.id === chain), 'the missed call\'s record', 20_000)).id;
    await app.reminders.schedule({ person: { userId: ids.amara, displayName: 'Amara Okafor' }, message: 'Call the caterers back', at: new Date(Date.now() + 2 * 3_600_000) });
    browser = await launchChromium();
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

  it('no calls yet: says records arrive a little after a call ends', async () => {
    const { page } = await open('elif');
    await page.locator('text=No calls yet').waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /arrives a little after the call ends/);
    // Calls and reminders load separately: wait for the reminders' own empty state, not only the calls'.
    await page.locator('text=No reminders').first().waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /No reminders/);
  });

  it('the finished call is listed with its quality, and opens with quality charts and their data tables', async () => {
    const { page } = await open('amara');
    const item = page.locator(`button[data-call-id="${recordId}"]`);
    await item.waitFor();
    const text = (await item.textContent()) ?? '';
    assert.match(text, /^Call to the front desk/, 'titled by what the call was, not by the bot\'s name');
    assert.match(text, /Good audio|Poor audio/);
    const missedText = (await page.locator(`button[data-call-id="${missedId}"]`).textContent()) ?? '';
    assert.match(missedText, /Missed/, 'the declined call is marked missed');
    assert.match(missedText, /rang \d+ s/);
    await page.locator('#reminder-list', { hasText: 'Call the caterers back' }).waitFor();
    await item.click();
    await page.locator('#call-detail').waitFor();
    assert.match(page.url(), new RegExp(`#call=${recordId}$`));
    const charts = page.locator('#call-detail figure[data-chart] svg[role="img"]');
    await charts.first().waitFor();
    const titles = await page.locator('#call-detail figure[data-chart]').evaluateAll((figs: any[]) => figs.map((f) => f.getAttribute('data-chart')));
    assert.deepEqual(titles, ['Jitter — Amara Okafor', 'Packet loss — Amara Okafor', 'Round trip — Amara Okafor']);
    assert.equal(await page.locator('#call-detail figure[data-chart] path').count(), 6, 'sent and received lines on each chart');
    // Each chart names its unit on the y axis, and no line is drawn in the "poor" threshold's red.
    const units = await page.locator('#call-detail figure[data-chart] text[data-axis="y"]').allTextContents();
    assert.deepEqual(units, ['ms', '%', 'ms']);
    const colours = await page.locator('#call-detail figure[data-chart]').first().evaluate((fig: any) => ({
      threshold: getComputedStyle(fig.querySelector('line[data-threshold]')).stroke as string,
      series: [...fig.querySelectorAll('g[data-series] path')].map((p: any) => getComputedStyle(p).stroke as string),
    }));
    assert.equal(colours.series.length, 2);
    for (const c of colours.series) assert.notEqual(c, colours.threshold, `no series in the threshold's colour (${JSON.stringify(colours)})`);
    assert.equal(new Set(colours.series).size, 2, 'Sent and Received have different colours');
    const [r = 0, g = 0, b = 0] = colours.series[1]!.match(/\d+/g)!.map(Number);
    assert.ok(!(r > 150 && g < 100 && b < 100), `Sent is not red (${colours.series[1]})`);
    const description = (await page.locator('#call-detail figure[data-chart] desc').first().textContent()) ?? '';
    assert.match(description, /Received: from [\d.]+ ms/);
    await page.locator('#call-detail summary').first().click();
    assert.ok((await page.locator('#call-detail table').first().locator('tbody tr').count()) >= 2, 'the figures as a table');
    const problems = seriousOnes(await axeViolations(page));
    assert.deepEqual(problems, [], describeViolations(problems));
    await screenshot(page, 'tab-personal-call-light', true);
  });

  it('no serious or critical accessibility problem on the list; screenshots in light and dark', async () => {
    const light = await open('amara');
    await light.page.locator(`button[data-call-id="${recordId}"]`).waitFor();
    const problems = seriousOnes(await axeViolations(light.page));
    assert.deepEqual(problems, [], describeViolations(problems));
    await screenshot(light.page, 'tab-personal-light');
    const dark = await open('amara', 'dark');
    await dark.page.locator(`button[data-call-id="${recordId}"]`).waitFor();
    await screenshot(dark.page, 'tab-personal-dark');
    const darkProblems = seriousOnes(await axeViolations(dark.page));
    assert.deepEqual(darkProblems, [], describeViolations(darkProblems));
    const detail = await open('amara', 'dark', `#call=${recordId}`);
    await detail.page.locator('#call-detail figure[data-chart] svg').first().waitFor();
    await screenshot(detail.page, 'tab-personal-call-dark', true);
  });

  it('another person\'s call is not theirs to open', async () => {
    const { page } = await open('jonas', 'light', `#call=${recordId}`);
    await page.getByRole('heading', { name: 'No such call' }).waitFor();
  });
});
