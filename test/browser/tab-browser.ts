// For the tab's real-browser tests: Debian's Chromium through playwright-core (as console.spec.ts launches it), a page
// per person that records page errors and CSP violations, an axe-core accessibility check (its source evaluated in the
// page: the tab's CSP allows no injected <script>), and screenshots into test-artifacts/.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

// Functions passed to page.evaluate run in the browser; the project compiles without the DOM library.
declare const window: any;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run 'node test/support/ensure-test-packages.mjs' (npm test runs it first).`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--font-render-hinting=none'],
  });
}

export interface TabPage {
  page: Page;
  /** Page errors, console errors and CSP violations seen so far (expected HTTP refusals excluded). */
  problems: string[];
  close(): Promise<void>;
}

export async function openTabPage(browser: Browser, url: string, viewport = { width: 320, height: 720 }): Promise<TabPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    // The browser logs every 4xx as a failed resource: a refusal the test asked for is not a problem.
    if (/Failed to load resource: the server responded with a status of (401|403|404)/.test(text)) return;
    if (msg.type() === 'error' || /Content Security Policy/i.test(text)) problems.push(`console ${msg.type()}: ${text}`);
  });
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * axe-core's WCAG 2.1 A/AA and best-practice rules on the page as it is now. Fluent UI's focus sentinels
 * (`<i data-tabster-dummy tabindex="0" aria-hidden>`) are left out: they are focusable and hidden on purpose (they hand
 * focus on at once), a known false positive of aria-hidden-focus (microsoft/tabster#288, fluentui#27517).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run({ include: [window.document], exclude: [['[data-tabster-dummy]']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n: any) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

export function seriousOnes(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${JSON.stringify(v.nodes.map((n) => n.target))}`).join('\n');
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
