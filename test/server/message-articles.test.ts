/**
 * English articles in messages: "a" or "an" depends on the sound of the word after it, so no message puts
 * one right before a value it does not know ("a sms", "a action id"). Texts name the value another way
 * ("an attempt on the channel sms", "action ids are …") or put the article inside the value.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTIONS_MESSAGES } from '../../src/server/collections/messages.js';
import { describePattern } from '../../src/server/http/field-messages.js';
import { render, say } from '../../src/server/http/messages.js';
import { ORIGINATION_MESSAGES } from '../../src/server/origination/messages.js';
import { ID_PATTERN } from '../../src/store/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sourcesUnder(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'generated') out.push(...sourcesUnder(full));
    } else if (/\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

/** An article right before `${…}` (a template literal) or `{name}` (a message template's parameter). */
const ARTICLE_BEFORE_VALUE = /\b[Aa]n? (\$\{|\{[a-zA-Z_]+(\|[^}]*)?\})/;

describe('English articles in messages', () => {
  it('no text under src/ or web/src/ puts "a" or "an" before a value it fills in', () => {
    const found: string[] = [];
    for (const file of [
      ...sourcesUnder(path.join(ROOT, 'src')),
      ...sourcesUnder(path.join(ROOT, 'web/src')),
    ]) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (ARTICLE_BEFORE_VALUE.test(line))
            found.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('says what an id of the wrong form names, without "a action id"', () => {
    for (const [field, noun] of [
      ['/params/actionId', 'action'],
      ['/params/applicationId', 'application'],
      ['/params/runId', 'EOD run'],
      ['/params/loanId', 'loan'],
    ]) {
      const en = render(describePattern(field!, ID_PATTERN), 'en');
      expect(en).toContain(`no such ${noun} (${noun} ids are a short prefix`);
      expect(en).not.toMatch(/\ba [aeiouAEIOU]/);
    }
  });

  it('names the channel and the wanted status without "a sms" or "a approved"', () => {
    const channel = render(
      say(COLLECTIONS_MESSAGES, 'outcome_of_channel', { channel: 'sms', outcomes: 'x' }),
      'en',
    );
    expect(channel).toBe('an attempt on the channel sms has one of these outcomes: x');
    const status = render(
      say(ORIGINATION_MESSAGES, 'policy_status_conflict', {
        version: 'v1',
        status: 'draft',
        wanted: 'approved',
        action: 'published',
      }),
      'en',
    );
    expect(status).toBe('Policy version v1 is draft; only a version that is approved can be published.');
  });
});
