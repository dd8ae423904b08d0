// Figure 6 — side panel: the meeting side panel (/tab/side-panel, local mode: ?meeting=…&user=…) in headless Chromium
// for the big meeting of figure 4 topped up to 1,000 attendees, and for a meeting with one attendee (the floor), after
// one unmeasured load that warms the browser. First render: from navigation start to the first DOM state holding the
// whole roster (the scroller's row count and its first rows), timed in the page. One diff: an emulated person mutes;
// from the moment the app publishes that roster diff on its bus to the moment the panel's row shows it (the same
// machine's clock on both sides), so it includes the stream, the model and the render. Both again (6c, 6d) for a
// second meeting, a town hall whose 10,000 scripted attendees join at once (one roster notification of ~6.5 MB).
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { AppTarget, BenchContext } from '../bench-context.js';
import type { FigureResult, FigureRow } from '../figure-row.js';
import { round, sleep } from '../support/stats.js';
import type { ChurnMeeting } from './meeting-churn.js';

export const CHROMIUM = '/usr/bin/chromium';
const TAB_NOT_BUILT = 'skipped: tab not built';

// Functions handed to the browser run there; the project compiles without the DOM library.
declare const document: any;
declare const window: any;
declare const CSS: any;
declare const MutationObserver: any;

interface PanelTiming {
  people: number;
  firstRenderMs?: number;
  diffApplyMs?: number;
  problem?: string;
}

function skipped(started: number, reason: string): FigureResult {
  return {
    title: '6 Side panel',
    rows: [
      { id: '6a', name: 'Side panel: first render of a 1,000-attendee roster', unit: 'ms', skipped: reason },
      { id: '6b', name: 'Side panel: one roster diff applied', unit: 'ms', skipped: reason },
      { id: '6c', name: 'Side panel: first render of a 10,000-attendee roster', unit: 'ms', skipped: reason },
      { id: '6d', name: 'Side panel: one roster diff applied (10,000 attendees)', unit: 'ms', skipped: reason },
    ],
    details: {},
    durationMs: performance.now() - started,
  };
}

export async function sidePanel(ctx: BenchContext, target: AppTarget, big: ChurnMeeting | undefined): Promise<FigureResult> {
  const started = performance.now();
  const page = await request(`${target.url}/tab/side-panel`).catch(() => undefined);
  const status = page?.statusCode;
  await page?.body.dump();
  if (status !== 200) return skipped(started, TAB_NOT_BUILT);
  const app = target.bench?.app;
  if (!app || !big) return skipped(started, 'skipped: needs the in-process app and figure 4\'s meeting');
  if (!existsSync(CHROMIUM)) return skipped(started, `skipped: no Chromium at ${CHROMIUM}`);

  const wanted = ctx.sizes.sidePanel.attendees;
  const meetingPath = `/emulator/meetings/${encodeURIComponent(big.meetingId)}`;
  const present = ((await ctx.control.ok('GET', meetingPath)).people as unknown[]).length;
  if (present < wanted) {
    ctx.log(`  side panel: topping the meeting up from ${present} to ${wanted} attendees`);
    const script = await ctx.control.ok('POST', `${meetingPath}/script`, { count: wanted - present, overSeconds: 1, people: 'synthetic', seed: 'bench-top-up' });
    for (let i = 0; i < 120; i++) {
      if ((await ctx.control.ok('GET', `${meetingPath}/script/${script.id}`)).state !== 'running') break;
      await sleep(250);
    }
  }
  await settle(ctx, app, big);

  // The floor: a meeting with the bot and one attendee.
  const users = (await ctx.control.ok('GET', '/emulator/users')).value as Array<{ id: string; userPrincipalName: string }>;
  const organizer = users.find((u) => u.userPrincipalName === big.organizerUpn)!;
  const guest = users.find((u) => u.userPrincipalName.startsWith('jonas.')) ?? users[1]!;
  const small = await app.meetings.create({ organizerId: organizer.id, subject: 'Bench one-to-one' });
  const smallJoin = await app.meetings.join({ meetingId: small.id, organizerId: organizer.id });
  await ctx.control.ok('POST', `/emulator/meetings/${encodeURIComponent(small.id)}/people`, { person: guest.userPrincipalName });
  const smallMeeting: ChurnMeeting = { meetingId: small.id, meetingKey: smallJoin.meetingKey, callId: smallJoin.callId, joinWebUrl: small.joinWebUrl!, organizerUpn: big.organizerUpn };
  await settle(ctx, app, smallMeeting);

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  let bigTiming: PanelTiming;
  let smallTiming: PanelTiming;
  let hallTiming: PanelTiming;
  let hall: { meeting: ChurnMeeting; ingestMs: number } | undefined;
  try {
    ctx.log('  side panel: 1 attendee (floor), then the big meeting, in headless Chromium');
    await measure(ctx, browser, target.url, app, smallMeeting, false); // warms the browser (bundles compiled once), not counted
    smallTiming = await measure(ctx, browser, target.url, app, smallMeeting);
    bigTiming = await measure(ctx, browser, target.url, app, big);
    hall = await townHall(ctx, app, organizer.id, big.organizerUpn);
    hallTiming = hall ? await measure(ctx, browser, target.url, app, hall.meeting) : { people: 0, problem: 'the town hall did not fill' };
  } finally {
    await browser.close();
    await app.meetings.leave(smallJoin.meetingKey).catch(() => undefined);
    if (hall) await app.meetings.leave(hall.meeting.meetingKey).catch(() => undefined);
  }
  const hallName = ctx.sizes.sidePanel.townHall.toLocaleString('en-US');

  const rows: FigureRow[] = [
    bigTiming.firstRenderMs !== undefined && smallTiming.firstRenderMs !== undefined
      ? {
          id: '6a',
          name: `Side panel: first render of a ${bigTiming.people.toLocaleString('en-US')}-attendee roster`,
          value: round(bigTiming.firstRenderMs),
          unit: 'ms',
          floor: { value: round(smallTiming.firstRenderMs)!, label: `the same panel, ${smallTiming.people}-attendee meeting` },
          note: 'navigation start → whole roster in the DOM (page load, sign-in as the organizer, GET meeting, render)',
        }
      : { id: '6a', name: 'Side panel: first render of a 1,000-attendee roster', unit: 'ms', skipped: `failed: ${bigTiming.problem ?? smallTiming.problem}` },
    bigTiming.diffApplyMs !== undefined && smallTiming.diffApplyMs !== undefined
      ? {
          id: '6b',
          name: `Side panel: one roster diff applied (${bigTiming.people.toLocaleString('en-US')} attendees)`,
          value: round(bigTiming.diffApplyMs),
          unit: 'ms',
          floor: { value: round(smallTiming.diffApplyMs)!, label: `the same diff, ${smallTiming.people}-attendee meeting` },
          note: 'app publishes the diff → the row shows it (stream, model, render)',
        }
      : { id: '6b', name: 'Side panel: one roster diff applied', unit: 'ms', skipped: `failed: ${bigTiming.problem ?? smallTiming.problem}` },
    hallTiming.firstRenderMs !== undefined && smallTiming.firstRenderMs !== undefined
      ? {
          id: '6c',
          name: `Side panel: first render of a ${hallTiming.people.toLocaleString('en-US')}-attendee roster`,
          value: round(hallTiming.firstRenderMs),
          unit: 'ms',
          floor: { value: round(smallTiming.firstRenderMs)!, label: `the same panel, ${smallTiming.people}-attendee meeting` },
          note: `as 6a (${bigTiming.firstRenderMs !== undefined ? `${round(bigTiming.firstRenderMs)} ms at ${bigTiming.people.toLocaleString('en-US')}` : '6a failed'}); the list is windowed: only the rows in view are in the DOM`,
        }
      : { id: '6c', name: `Side panel: first render of a ${hallName}-attendee roster`, unit: 'ms', skipped: `failed: ${hallTiming.problem ?? smallTiming.problem}` },
    hallTiming.diffApplyMs !== undefined && smallTiming.diffApplyMs !== undefined
      ? {
          id: '6d',
          name: `Side panel: one roster diff applied (${hallTiming.people.toLocaleString('en-US')} attendees)`,
          value: round(hallTiming.diffApplyMs),
          unit: 'ms',
          floor: { value: round(smallTiming.diffApplyMs)!, label: `the same diff, ${smallTiming.people}-attendee meeting` },
          note: `as 6b (${bigTiming.diffApplyMs !== undefined ? `${round(bigTiming.diffApplyMs)} ms at ${bigTiming.people.toLocaleString('en-US')}` : '6b failed'}); from the app's diff to the row, as 6b`,
        }
      : { id: '6d', name: `Side panel: one roster diff applied (${hallName} attendees)`, unit: 'ms', skipped: `failed: ${hallTiming.problem ?? smallTiming.problem}` },
  ];
  return {
    title: '6 Side panel',
    rows,
    details: { big: bigTiming, floor: smallTiming, townHall: { ...hallTiming, fillMs: hall ? round(hall.ingestMs) : undefined }, browser: CHROMIUM },
    durationMs: performance.now() - started,
  };
}

/** A second meeting whose scripted crowd (the town hall's size) joins all at once; undefined when it does not fill. */
async function townHall(
  ctx: BenchContext,
  app: NonNullable<AppTarget['bench']>['app'],
  organizerId: string,
  organizerUpn: string,
): Promise<{ meeting: ChurnMeeting; ingestMs: number } | undefined> {
  const size = ctx.sizes.sidePanel.townHall;
  ctx.log(`  side panel: a ${size.toLocaleString('en-US')}-attendee town hall`);
  const created = await app.meetings.create({ organizerId, subject: 'Bench town hall' });
  const joined = await app.meetings.join({ meetingId: created.id, organizerId });
  const meeting: ChurnMeeting = { meetingId: created.id, meetingKey: joined.meetingKey, callId: joined.callId, joinWebUrl: created.joinWebUrl!, organizerUpn };
  const meetingPath = `/emulator/meetings/${encodeURIComponent(created.id)}`;
  for (let i = 0; i < 60 && (await app.calls.getCall(joined.callId))?.state !== 'established'; i++) await sleep(250);
  const t0 = performance.now();
  const script = await ctx.control.ok('POST', `${meetingPath}/script`, { count: size, overSeconds: 0, people: 'synthetic', seed: 'bench-town-hall' });
  for (let i = 0; i < 240; i++) {
    if ((await ctx.control.ok('GET', `${meetingPath}/script/${script.id}`)).state !== 'running') break;
    await sleep(250);
  }
  for (let i = 0; i < 240; i++) {
    await app.calls.idle();
    if ((await app.meetings.roster(meeting.meetingKey)).entries.filter((e) => !e.isBot).length >= size) break;
    await sleep(250);
  }
  const ingestMs = performance.now() - t0;
  await settle(ctx, app, meeting);
  const people = (await app.meetings.roster(meeting.meetingKey)).entries.filter((e) => !e.isBot).length;
  if (people < size) {
    ctx.log(`  side panel: the town hall has ${people} of ${size} attendees in the app's roster`);
    return undefined;
  }
  return { meeting, ingestMs };
}

/** Waits until the app's roster of the meeting stops changing (it has caught up with the emulator's notifications). */
async function settle(ctx: BenchContext, app: NonNullable<AppTarget['bench']>['app'], meeting: ChurnMeeting): Promise<void> {
  let last = -1;
  for (let i = 0; i < 120; i++) {
    await app.calls.idle();
    const version = (await app.meetings.roster(meeting.meetingKey)).version;
    if (version === last) return;
    last = version;
    await sleep(500);
  }
  ctx.log('  side panel: the roster was still changing after 60 s');
}

async function measure(
  ctx: BenchContext,
  browser: import('playwright-core').Browser,
  appUrl: string,
  app: NonNullable<AppTarget['bench']>['app'],
  meeting: ChurnMeeting,
  withDiff = true,
): Promise<PanelTiming> {
  const roster = await app.meetings.roster(meeting.meetingKey);
  const people = roster.entries.filter((e) => !e.isBot).length;
  const context = await browser.newContext({ viewport: { width: 320, height: 720 } });
  try {
    const page = await context.newPage();
    // Before any page script: note when the roster's row count first reaches the whole roster and a row exists.
    await page.addInitScript((expected: number) => {
      const w = window as { __benchFirstRender?: number };
      const check = () => {
        const scroller = document.querySelector('#roster-scroller');
        if (scroller && Number(scroller.getAttribute('data-total-rows')) >= expected && document.querySelector('[data-row-id]')) {
          w.__benchFirstRender = performance.now();
          return true;
        }
        return false;
      };
      const observer = new MutationObserver(() => {
        if (check()) observer.disconnect();
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true });
    }, people);
    const url = `${appUrl}/tab/side-panel?meeting=${encodeURIComponent(meeting.meetingKey)}&user=${encodeURIComponent(meeting.organizerUpn)}`;
    await page.goto(url);
    const rendered = await page
      .waitForFunction(() => (window as { __benchFirstRender?: number }).__benchFirstRender, undefined, { timeout: 30_000 })
      .then((h) => h.jsonValue() as Promise<number>)
      .catch(async () => undefined);
    if (rendered === undefined) {
      const shown = await page.locator('#roster-scroller').getAttribute('data-total-rows').catch(() => null);
      return { people, problem: `the panel showed ${shown ?? 'no'} rows of ${people} within 30 s` };
    }
    await page.waitForSelector('main[data-state="ready"][data-stream="live"]', { timeout: 15_000 }).catch(() => undefined);
    if (!withDiff) return { people, firstRenderMs: rendered };

    // One diff: someone whose row is on screen and not muted mutes.
    const visible: string[] = await page.$$eval('[data-row-id][data-muted="false"]', (els: any[]) => els.map((e) => e.getAttribute('data-row-id')));
    const truth = (await ctx.control.ok('GET', `/emulator/meetings/${encodeURIComponent(meeting.meetingId)}`)).people as Array<{ participantId: string; isMuted: boolean }>;
    const candidate = visible.find((id) => truth.some((p) => p.participantId === id && !p.isMuted));
    if (!candidate) return { people, firstRenderMs: rendered, problem: 'no unmuted attendee on screen to mute' };
    let publishedAt: number | undefined;
    const unsubscribe = app.bus.subscribe((e) => {
      if (publishedAt === undefined && e.type === 'meeting.roster' && e.meetingKey === meeting.meetingKey && JSON.stringify(e.changed ?? []).includes(candidate)) publishedAt = Date.now();
    });
    const shownAt = page.evaluate(
      (id: string) =>
        new Promise<number>((resolve) => {
          const check = () => document.querySelector(`[data-row-id="${CSS.escape(id)}"]`)?.getAttribute('data-muted') === 'true';
          const observer = new MutationObserver(() => {
            if (check()) {
              observer.disconnect();
              resolve(Date.now());
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true });
          setTimeout(() => {
            observer.disconnect();
            resolve(-1);
          }, 20_000);
        }),
      candidate,
    );
    await ctx.control.ok('POST', `/emulator/meetings/${encodeURIComponent(meeting.meetingId)}/people/${encodeURIComponent(candidate)}/mute`, { muted: true });
    const shown = await shownAt;
    unsubscribe();
    if (shown < 0 || publishedAt === undefined) return { people, firstRenderMs: rendered, problem: 'the mute did not show in the panel within 20 s' };
    return { people, firstRenderMs: rendered, diffApplyMs: Math.max(0, shown - publishedAt) };
  } finally {
    await context.close();
  }
}
