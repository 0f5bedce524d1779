import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { DEFAULT_WEB_ROOT } from '../../src/server/index.js';
import type { Role } from '../../src/store/index.js';
import { startApi, type TestApi } from '../server/helpers.js';
import { openMigratedPglite } from '../support/pglite-template.js';

/** Debian's chromium; a browser is never downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOT_DIR = 'test-output/screenshots';
/**
 * Longest wait for one element or navigation: a bound against hanging, not a speed check. Generous because
 * the whole suite shares two cores with the server and the database; a page that works answers in well under
 * a second when the machine is free.
 */
const STEP_TIMEOUT_MS = 30_000;

const inCi = process.env.CI === 'true';
export const chromiumMissing = !existsSync(CHROMIUM_PATH);
/** Outside CI a machine without chromium skips the browser tests, saying so; in CI they must run. */
export const skipBrowser = chromiumMissing && !inCi;
if (skipBrowser) {
  console.warn(
    `browser tests skipped: ${CHROMIUM_PATH} is missing; install it with "apt-get install -y chromium" (CI installs it and never skips)`,
  );
}

/**
 * The tests serve what is in dist/web/ (npm test builds it first). Not built here: two test files
 * building into one folder at once would race.
 */
export function ensureWebBuilt(): void {
  if (existsSync(`${DEFAULT_WEB_ROOT}/index.html`)) return;
  throw new Error(
    `The dashboard is not built (${DEFAULT_WEB_ROOT} has no index.html): run "npm run build:web" first.`,
  );
}

export interface Harness {
  api: TestApi;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** `clock`: the server's wall clock (default the machine's), for pages whose rules read the time of day. */
export async function startHarness(clock?: () => Date): Promise<Harness> {
  ensureWebBuilt();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const db = await openMigratedPglite();
  const api = await startApi(db, {}, clock);
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = api.app.server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return {
    api,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await api.app.close();
      await db.close();
    },
  };
}

/** A page that records every console error and uncaught exception. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export async function openPage(harness: Harness, locale: 'zh-CN' | 'en'): Promise<WatchedPage> {
  const context = await harness.browser.newContext({
    viewport: { width: 1360, height: 860 },
    locale,
    timezoneId: 'Asia/Shanghai',
  });
  // Fail fast: every step here takes well under a second on a working page.
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`${message.text()} @ ${message.location().url}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { context, page, errors };
}

/**
 * Console errors other than the browser's own note of a refusal the test asked for (Chromium logs
 * "Failed to load resource: … status of 409" for every 4xx fetch).
 */
export function unexpectedErrors(
  errors: readonly string[],
  expectedStatuses: readonly number[] = [],
): string[] {
  return errors.filter(
    (e) =>
      !expectedStatuses.some((s) =>
        e.startsWith(`Failed to load resource: the server responded with a status of ${s}`),
      ),
  );
}

export async function logIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('whoami').waitFor();
}

/** The language switch's label for each locale (the dashboard's own names of its languages). */
const LANGUAGE_SWITCH: Record<'zh-CN' | 'en', string> = { 'zh-CN': '中文', en: 'English' };

/** A page in `locale`, logged in with `role`'s token, the dashboard switched to that locale's language. */
export async function signedIn(harness: Harness, role: Role, locale: 'zh-CN' | 'en'): Promise<WatchedPage> {
  const watched = await openPage(harness, locale);
  await logIn(watched.page, harness.baseUrl, harness.api.tokens[role]);
  await watched.page
    .getByTestId('language-switch')
    .getByText(LANGUAGE_SWITCH[locale], { exact: true })
    .click();
  return watched;
}

/**
 * Waits until the page's finite CSS animations and transitions have ended (two frames first, so that one a
 * change has just started is seen): a form's error collapsing under a field, or a dialog zooming in, moves
 * the button under it, and a click aimed at where it stood would land beside it.
 */
export async function settle(within: Page | Locator): Promise<void> {
  const page = 'page' in within && typeof within.page === 'function' ? within.page() : (within as Page);
  // The checks run in the page (typed here by hand: this project's tests compile without the DOM library).
  type InPage = {
    requestAnimationFrame(f: () => void): void;
    document: {
      getAnimations(): {
        playState: string;
        effect: { getComputedTiming(): { endTime?: number | string } } | null;
      }[];
    };
  };
  await page.evaluate(
    () =>
      new Promise<void>((done) => {
        const w = globalThis as unknown as InPage;
        w.requestAnimationFrame(() => w.requestAnimationFrame(done));
      }),
  );
  await page.waitForFunction(() =>
    (globalThis as unknown as InPage).document
      .getAnimations()
      .every(
        (a) =>
          a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Number.POSITIVE_INFINITY,
      ),
  );
}

/**
 * Picks `option` in the antd select whose test id is `testId` and waits until the select shows it. On a busy
 * machine a click on an option can land while its list is still opening and be lost; the pick is then tried
 * again (up to three times) rather than a form sent without the value.
 */
export async function choose(page: Page, testId: string, option: string): Promise<void> {
  const select = page.getByTestId(testId);
  const shown = select.locator('.ant-select-selection-item');
  for (let attempt = 1; ; attempt += 1) {
    await select.click();
    await page.locator('.ant-select-dropdown:visible').getByText(option, { exact: true }).click();
    try {
      await shown.filter({ hasText: option }).waitFor({ timeout: 5_000 });
      await settle(page);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Clicks a form's submit button and waits until the form has sent its request (`method` to a URL ending in
 * `pathEnd`). On a busy machine a click can land while the button is still moving (an error collapsing above
 * it) and be lost; then nothing was sent, so the click is tried again (up to three times) — never a second
 * request.
 */
export async function submitted(page: Page, button: Locator, method: string, pathEnd: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const sent = page.waitForRequest(
      (r) => r.method() === method && new URL(r.url()).pathname.endsWith(pathEnd),
      { timeout: 10_000 },
    );
    await settle(page);
    await button.click();
    try {
      await sent;
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}
