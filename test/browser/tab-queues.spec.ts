// The queue dashboard in a real browser (Debian's Chromium) against a real local Switchboard, its call queues and the
// emulator: emulated people dial a front desk that puts them in a queue, and the dashboard shows them live in line
// order with their waits ticking, the agents with presence and state (a Busy agent is not offered calls, the free one
// is being rung), the live region announcing the new callers; the agent answers and the first caller is put through
// (service level filled); after a cut stream, a caller who hangs up leaves and counts as abandoned;
// someone who is not an agent, and a front desk without queues, get their empty states; axe finds no serious or
// critical problem in light, dark and high contrast; the screenshot is test-artifacts/queue-dashboard.png.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { act, dial, UPN, type PersonName } from '../e2e/people.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { axeViolations, describeViolations, launchChromium, openTabPage, screenshot, seriousOnes, type TabPage } from './tab-browser.js';

declare const document: any;

function writeDesk(path: string, queues = true): void {
  writeFileSync(path, JSON.stringify({
    timezone: 'UTC',
    rules: [],
    default: queues ? { action: 'enqueue', queue: 'Support' } : { action: 'reject' },
    menus: {},
    queues: queues
      ? {
          Support: { agents: [UPN.priya, UPN.jonas], alertSeconds: 120, greeting: { text: 'Thank you for calling support. Please hold.' }, serviceLevelSeconds: 20 },
          Billing: { agents: [UPN.jonas], routing: 'serial' },
        }
      : {},
  }, null, 2));
}

describe('tab queue dashboard (Chromium)', function () {
  this.timeout(120_000);
  let app: LocalSwitchboard;
  let browser: Browser;
  let desk: string;
  let dashboard: TabPage;
  const opened: TabPage[] = [];
  const calls: Partial<Record<PersonName, string>> = {};

  const open = async (who: PersonName, theme = 'light') => {
    const tab = await openTabPage(browser, `${app.url}/tab/queues?user=${encodeURIComponent(UPN[who])}&theme=${theme}`, { width: 1280, height: 1000 });
    opened.push(tab);
    await tab.page.waitForSelector('main[data-state="ready"]', { timeout: 20_000 });
    return tab;
  };
  const waitFor = (page: Page, fn: (arg: any) => unknown, arg: unknown, what: string) =>
    page.waitForFunction(fn, arg, { timeout: 20_000 }).catch((err: Error) => {
      throw new Error(`${what}: ${err.message}`);
    });
  const support = (page: Page) => page.locator('section[data-queue="Support"]');
  const checkAxe = async (page: Page) => {
    const problems = seriousOnes(await axeViolations(page));
    assert.deepEqual(problems, [], describeViolations(problems));
  };

  before(async () => {
    desk = join(mkdtempSync(join(tmpdir(), 'switchboard-dashboard-')), 'desk.json');
    writeDesk(desk);
    app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: desk }, queues: { presencePollMs: 300 } });
    // Jonas is busy elsewhere: presence-based routing does not offer him calls.
    const busy = await app.emulatorJson('PUT', `/emulator/people/${UPN.jonas}/presence`, { availability: 'Busy', activity: 'InACall' });
    assert.equal(busy.status, 200, JSON.stringify(busy.body));
    await eventually(async () => (await app.queues.statusOf('Support'))?.agents.find((a) => a.displayName === 'Jonas Lindqvist')?.presence?.availability === 'Busy', 'the queue reading Jonas as Busy');
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

  it('before anyone calls: the agent\'s queue, nobody waiting, the agents with their presence', async () => {
    dashboard = await open('priya');
    const { page } = dashboard;
    assert.deepEqual(await page.locator('section[data-queue]').evaluateAll((s: any[]) => s.map((x) => x.getAttribute('data-queue'))), ['Support'], 'Priya is an agent of Support only');
    await support(page).locator('[data-empty="waiting"]', { hasText: 'Nobody waiting' }).waitFor();
    await waitFor(page, () => document.querySelector('main')?.getAttribute('data-stream') === 'live', undefined, 'the stream live');
    const agents = support(page).locator('[data-table="agents"] tbody tr');
    assert.equal(await agents.count(), 2);
    assert.match((await support(page).locator('tr[data-agent="Priya Raman"]').textContent()) ?? '', /Available/);
    assert.match((await support(page).locator('tr[data-agent="Jonas Lindqvist"]').textContent()) ?? '', /Busy.*Not offered calls.*only when Available/);
    await checkAxe(page);
  });

  it('callers appear live in line order with their waits ticking; the free agent is rung; new callers are announced', async () => {
    const { page } = dashboard;
    for (const who of ['amara', 'mateo', 'hana'] as const) {
      calls[who] = await dial(app, who);
      await support(page).locator(`tr[data-entry="${calls[who]}"]`).waitFor({ timeout: 20_000 });
    }
    const rows = support(page).locator('[data-table="waiting"] tbody tr');
    assert.deepEqual(await rows.evaluateAll((r: any[]) => r.map((x) => `${x.querySelector('td').textContent} ${x.getAttribute('data-caller')}`)), ['1 Amara Okafor', '2 Mateo Alvarez', '3 Hana Sato']);
    await waitFor(page, () => document.querySelector('tr[data-agent="Priya Raman"]')?.getAttribute('data-agent-state') === 'offered', undefined, 'Priya being rung');
    await waitFor(page, (id: string) => /Offered\s*to Priya Raman/.test(document.querySelector(`tr[data-entry="${id}"]`)?.textContent ?? ''), calls.amara, 'Amara offered to Priya');
    assert.equal(await support(page).locator('[data-figure="waiting"]').textContent(), '3');
    const first = await support(page).locator(`tr[data-entry="${calls.amara}"] time`).getAttribute('datetime');
    await waitFor(page, ([id, before]: [string, string]) => document.querySelector(`tr[data-entry="${id}"] time`)?.getAttribute('datetime') !== before, [calls.amara, first], 'Amara\'s wait ticking');
    await waitFor(page, () => /New caller waiting in Support|new callers waiting in Support/.test(document.querySelector('#queue-live')?.textContent ?? ''), undefined, 'the live region announcing callers');
    assert.doesNotMatch((await page.locator('#queue-live').textContent()) ?? '', /\d:\d\d/, 'the live region never reads out the ticking');
    await checkAxe(page);
  });

  it('the agent answers: the first caller is put through and leaves the line, the agent is busy, today\'s service level fills', async () => {
    const { page } = dashboard;
    const people = (await app.emulatorJson('GET', '/emulator/people')).body.value as Array<{ userPrincipalName: string; ringing: Array<{ callId: string }> }>;
    const offer = people.find((p) => p.userPrincipalName === UPN.priya)!.ringing[0]!;
    await act(app, offer.callId, 'answer', { person: UPN.priya });
    await support(page).locator(`tr[data-entry="${calls.amara}"]`).waitFor({ state: 'detached', timeout: 20_000 });
    await waitFor(page, () => ['connecting', 'connected'].includes(document.querySelector('tr[data-agent="Priya Raman"]')?.getAttribute('data-agent-state')), undefined, 'Priya on the call');
    await waitFor(page, () => document.querySelector('section[data-queue="Support"] [data-figure="service-level"]')?.textContent === '100%', undefined, 'service level 100%');
    assert.equal(await support(page).locator('tr[data-outcome="within"] td').first().textContent(), '1', 'one answered within the service level, in the table');
    assert.match((await support(page).locator('[data-chart="outcomes"] desc').textContent()) ?? '', /Answered within 20 s 1/);
    assert.deepEqual(await support(page).locator('[data-table="waiting"] tbody tr').evaluateAll((r: any[]) => r.map((x) => `${x.querySelector('td').textContent} ${x.getAttribute('data-caller')}`)), ['1 Mateo Alvarez', '2 Hana Sato']);
    // Let the greetings end, so the screenshot shows callers hearing hold music.
    await waitFor(page, () => document.querySelectorAll('[data-table="waiting"] tbody tr[data-state="greeting"]').length === 0, undefined, 'past the greeting');
    await checkAxe(page);
    await screenshot(page, 'queue-dashboard', true);
  });

  it('after a cut stream it reconnects with a fresh snapshot; a caller who hangs up leaves the line and counts as abandoned', async () => {
    const { page } = dashboard;
    app.tab.disconnectStreams();
    await act(app, calls.mateo!, 'hangup', { person: UPN.mateo });
    await support(page).locator(`tr[data-entry="${calls.mateo}"]`).waitFor({ state: 'detached', timeout: 20_000 });
    await waitFor(page, () => document.querySelector('section[data-queue="Support"] [data-figure="abandoned"]')?.textContent === '1', undefined, 'abandoned 1');
    assert.equal(await support(page).locator('tr[data-outcome="abandoned"] td').first().textContent(), '1', 'the data table says so too');
    assert.match((await support(page).locator('[data-chart="outcomes"] desc').textContent()) ?? '', /Abandoned 1/);
    assert.equal(await support(page).locator(`tr[data-entry="${calls.hana}"] td`).first().textContent(), '1', 'Hana moved up');
  });

  it('dark and high-contrast themes: no serious accessibility problem', async () => {
    for (const theme of ['dark', 'contrast']) {
      const { page } = await open('jonas', theme);
      await support(page).locator(`tr[data-entry="${calls.hana}"]`).waitFor();
      assert.deepEqual(await page.locator('section[data-queue]').evaluateAll((s: any[]) => s.map((x) => x.getAttribute('data-queue'))), ['Billing', 'Support'], 'Jonas is an agent of both');
      await checkAxe(page);
      await screenshot(page, `queue-dashboard-${theme}`, true);
    }
  });

  it('someone who is not an agent is told so; a front desk without queues says where to add one', async () => {
    const { page } = await open('elif');
    await page.getByRole('heading', { name: 'You are not an agent of any queue' }).waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /The front desk has 2 queues/);
    await checkAxe(page);
    await act(app, calls.hana!, 'hangup', { person: UPN.hana });
    writeDesk(desk, false);
    await page.getByRole('heading', { name: 'No queues in the front desk' }).waitFor({ timeout: 20_000 });
    assert.match((await page.locator('main').textContent()) ?? '', /under queues in the front-desk file/);
    await dashboard.page.getByRole('heading', { name: 'No queues in the front desk' }).waitFor({ timeout: 20_000 });
  });
});
