import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle, read once and injected into each page checked. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One rule broken on the page, with the elements that break it (their selectors and axe's summary). */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core's WCAG 2.0/2.1 A and AA rules over the whole page as it is now (at rest: pointer away, transitions off) and returns what it finds,
 * each violation with the page's name so a failing assertion says where. An empty list is a pass.
 */
export async function axeViolations(
  page: Page,
  where: string,
): Promise<(AxeViolation & { where: string })[]> {
  if (!(await page.evaluate('typeof globalThis.axe === "object"'))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  // The page at rest: no pointer over a control and no colour caught half way through a transition (a busy
  // machine once had axe read a button's colour between its hover and resting shades).
  await page.mouse.move(0, 0);
  await page.evaluate(`{
    const still = document.createElement('style');
    still.id = 'axe-at-rest';
    still.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
    document.head.append(still);
  }`);
  // A string, not a function: the tests compile without the DOM library, and axe is the page's global.
  const found = await page
    .evaluate<AxeViolation[]>(`
    axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }).then((r) => r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
    })))
  `)
    // The rest of the test sees the page's own motion again.
    .finally(() => page.evaluate(`document.getElementById('axe-at-rest')?.remove()`));
  return found.map((v) => ({ ...v, where }));
}
