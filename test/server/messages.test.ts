/**
 * The message catalogues (decision 0412): every catalogue under src/server has both languages for every
 * code, with the same parameters; every problem code has a Chinese title; every refusal code the ledger
 * and money engines raise has Chinese; and the language is chosen from Accept-Language.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_REFUSALS_ZH } from '../../src/server/http/engine-refusals.js';
import { describePattern } from '../../src/server/http/field-messages.js';
import {
  type Catalogue,
  fill,
  pickLanguage,
  render,
  say,
  templateParams,
} from '../../src/server/http/messages.js';
import { PROBLEM_CODES, PROBLEM_TITLES_ZH } from '../../src/server/http/problem.js';
import { ID_PATTERN } from '../../src/store/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HAN = /\p{Script=Han}/u;

function filesUnder(folder: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, keep));
    else if (keep(full)) out.push(full);
  }
  return out;
}

/** Every catalogue file of the server: an area's `messages.ts` and the kernel's `kernel-messages.ts`. */
const catalogueFiles = filesUnder(path.join(ROOT, 'src/server'), (f) =>
  /(^|[/-])messages\.ts$/.test(f),
).filter((f) => !f.endsWith(`${path.sep}http${path.sep}messages.ts`));

function isTexts(value: unknown): value is { en: string; zh: string } {
  return typeof value === 'object' && value !== null && 'en' in value && 'zh' in value;
}

async function catalogues(): Promise<{ name: string; catalogue: Catalogue }[]> {
  const found: { name: string; catalogue: Catalogue }[] = [];
  for (const file of catalogueFiles) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const [exported, value] of Object.entries(module)) {
      if (typeof value !== 'object' || value === null) continue;
      const entries = Object.values(value);
      if (entries.length > 0 && entries.every(isTexts)) {
        found.push({ name: `${path.relative(ROOT, file)} ${exported}`, catalogue: value as Catalogue });
      }
    }
  }
  return found;
}

/** True when the template says words of its own, besides its parameters and punctuation. */
const words = (template: string) => /[A-Za-z\p{Script=Han}]/u.test(template.replace(/\{[a-zA-Z_]+\}/g, ''));

/** Parameters both languages must share: all but the language's own (`en_*`, `zh_*`). */
const shared = (template: string) =>
  templateParams(template)
    .filter((p) => !/^(en|zh)_/.test(p))
    .sort();

describe('message catalogues', () => {
  it('finds the catalogues of the kernel and of each area', async () => {
    const names = (await catalogues()).map((c) => c.name);
    for (const area of [
      'http/kernel-messages.ts',
      'ledger/messages.ts',
      'customers/messages.ts',
      'origination/messages.ts',
    ]) {
      expect(
        names.some((n) => n.includes(area)),
        area,
      ).toBe(true);
    }
  });

  it('gives every code both languages, Chinese in Chinese, with the same parameters', async () => {
    const faults: string[] = [];
    for (const { name, catalogue } of await catalogues()) {
      for (const [code, texts] of Object.entries(catalogue)) {
        const where = `${name}.${code}`;
        if (texts.en.trim() === '') faults.push(`${where}: no English`);
        if (texts.zh.trim() === '') faults.push(`${where}: no Chinese`);
        else if (words(texts.zh) && !HAN.test(texts.zh))
          faults.push(`${where}: the Chinese is not Chinese: ${texts.zh}`);
        if (HAN.test(texts.en)) faults.push(`${where}: the English holds Chinese`);
        if (shared(texts.en).join() !== shared(texts.zh).join()) {
          faults.push(`${where}: parameters differ: en ${shared(texts.en)} / zh ${shared(texts.zh)}`);
        }
        for (const p of templateParams(texts.en))
          if (p.startsWith('zh_')) faults.push(`${where}: en uses ${p}`);
        for (const p of templateParams(texts.zh))
          if (p.startsWith('en_')) faults.push(`${where}: zh uses ${p}`);
      }
    }
    expect(faults).toEqual([]);
  });

  it('gives every problem code a Chinese title', () => {
    for (const code of Object.keys(PROBLEM_CODES) as (keyof typeof PROBLEM_CODES)[]) {
      expect(PROBLEM_TITLES_ZH[code], code).toMatch(HAN);
    }
    expect(Object.keys(PROBLEM_TITLES_ZH).sort()).toEqual(Object.keys(PROBLEM_CODES).sort());
  });

  it('has Chinese for every refusal code the ledger and money engines raise', () => {
    const raised = new Set<string>();
    const files = [
      ...filesUnder(path.join(ROOT, 'src/ledger'), (f) => f.endsWith('.ts')),
      ...filesUnder(path.join(ROOT, 'src/money'), (f) => f.endsWith('.ts')),
    ];
    const RAISE =
      /(?:new (?:LedgerInputError|CreditLineError|MoneyInputError|AmountInputError)|\bfail|\brefuse)\(\s*'([a-z_]+)'/g;
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(RAISE)) raised.add(match[1] as string);
    }
    expect(raised.size).toBeGreaterThan(30);
    const missing = [...raised].filter((code) => ENGINE_REFUSALS_ZH[code] === undefined);
    expect(missing).toEqual([]);
    for (const [code, zh] of Object.entries(ENGINE_REFUSALS_ZH)) expect(zh, code).toMatch(HAN);
  });
});

describe('templates and Accept-Language', () => {
  it('fills parameters and keeps doubled braces as braces', () => {
    expect(fill('send none (or {{}}) to {route}', { route: '/x' })).toBe('send none (or {}) to /x');
    const m = say({ a: { en: 'no loan {id}', zh: '没有借据 {id}' } }, 'a', { id: 'ln_1' });
    expect(render(m, 'en')).toBe('no loan ln_1');
    expect(render(m, 'zh-CN')).toBe('没有借据 ln_1');
  });

  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN,zh;q=0.9', 'zh-CN'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['fr-FR,zh-CN;q=0.5', 'zh-CN'],
    ['zh-CN;q=0.4,en;q=0.6', 'en'],
    ['zh-CN;q=0', 'en'],
    ['de, fr', 'en'],
    ['*', 'en'],
  ] as const)('Accept-Language %j → %s', (header, language) => {
    expect(pickLanguage(header)).toBe(language);
  });
});

describe('id fields in words', () => {
  it.each([
    ['/params/decisionRequestId', 'explanation request or objection', '解释请求或异议'],
    ['/params/requestId', 'request', '请求'],
    ['/params/lineId', 'credit line', '授信额度'],
  ])('names what %s identifies', (field, en, zh) => {
    const m = describePattern(field, ID_PATTERN);
    expect(render(m, 'en')).toContain(`${en} id`);
    expect(render(m, 'zh-CN')).toContain(zh);
    if (en === 'request') expect(render(m, 'en')).not.toContain('objection');
  });
});
