/**
 * Every sentence the rules-document checkers (collection strategy graphs, the early-warning document) can
 * write has its Chinese: the test reads their sources, takes each `message:` sentence with its values
 * replaced by a sample, and asks the edge's table for the Chinese.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEarlyWarningDocument } from '../../src/monitoring/index.js';
import { documentIssueZh } from '../../src/server/http/document-issues.js';

const SOURCES = ['src/collections/strategy.ts', 'src/monitoring/signals/document.ts'];
const SAMPLE = '7';

/** The text of the string or template literal starting at `i`, each `${…}` replaced by SAMPLE. */
function literalAt(src: string, i: number): { text: string; end: number } {
  const quote = src[i]!;
  let text = '';
  let k = i + 1;
  while (k < src.length) {
    const c = src[k]!;
    if (c === '\\') {
      text += src[k + 1];
      k += 2;
    } else if (c === quote) {
      return { text, end: k + 1 };
    } else if (quote === '`' && c === '$' && src[k + 1] === '{') {
      let depth = 1;
      k += 2;
      while (depth > 0) {
        const e = src[k]!;
        if (e === '`' || e === "'" || e === '"') k = literalAt(src, k).end;
        else {
          if (e === '{') depth += 1;
          if (e === '}') depth -= 1;
          k += 1;
        }
      }
      text += SAMPLE;
    } else {
      text += c;
      k += 1;
    }
  }
  throw new Error(`unterminated literal at ${i}`);
}

function sentencesOf(path: string): string[] {
  const src = readFileSync(path, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/message:\s*/g)) {
    const at = m.index + m[0].length;
    if (!['`', "'"].includes(src[at]!)) continue;
    out.push(literalAt(src, at).text);
  }
  return out;
}

const HAN = /\p{Script=Han}/u;
const sentences = SOURCES.flatMap((p) => sentencesOf(p).map((s) => ({ source: p, sentence: s })));

describe("rules documents' issues in Chinese", () => {
  it('finds the sentences', () => {
    expect(sentences.length).toBeGreaterThan(30);
  });
  it.each(sentences)('$source: $sentence', ({ sentence }) => {
    const zh = documentIssueZh(sentence);
    expect(zh, sentence).toBeDefined();
    expect(zh).toMatch(HAN);
    // The values the English quotes are quoted in the Chinese too.
    expect(zh!.split(SAMPLE).length, zh).toBe(sentence.split(SAMPLE).length);
  });
  it('an early-warning document with a wrong field and a bad bound, as the checker says it', () => {
    const result = parseEarlyWarningDocument({
      format: 'lendguard.early-warning',
      formatVersion: 2,
      rules: [],
    });
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.issues.map((i) => documentIssueZh(i.message));
    expect(messages).toContain('须为 1');
    expect(messages.some((m) => m?.startsWith('须列出 1 至 '))).toBe(true);
  });
});
