/**
 * Takes the README's screenshot of the portfolio page (docs/images/portfolio.png) from a freshly built demo
 * book: `npm run screenshot:readme`. Needs Debian's chromium at /usr/bin/chromium (never a downloaded one)
 * and a built project (`npm run build`). Builds the demo in a temporary folder, serves it on a free port,
 * signs in with the demo's token and saves the page at 1360 pixels wide.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const OUT = 'docs/images/portfolio.png';
const LOCALE = process.env.SCREENSHOT_LOCALE ?? 'en';

function startDemo(dir: string): Promise<{ child: ChildProcess; url: string; token: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/lendguard.js', 'demo', '--db', dir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    const seen = (chunk: Buffer) => {
      text += String(chunk);
      const url = /listening on (http:\/\/[^\s,]+)/.exec(text)?.[1];
      const token = /(lgt_[A-Za-z0-9_-]+)/.exec(text)?.[1];
      if (url !== undefined && token !== undefined) resolve({ child, url, token });
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => reject(new Error(`the demo stopped (exit ${code}):\n${text}`)));
  });
}

const dir = join(mkdtempSync(join(tmpdir(), 'lg-shot-')), 'demo');
const { child, url, token } = await startDemo(dir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 860 },
    locale: LOCALE,
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('whoami').waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1_500); // the charts' entry animation
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`wrote ${OUT} from the demo at ${url}`);
} finally {
  await browser.close();
  child.kill();
  rmSync(dir, { recursive: true, force: true });
}
