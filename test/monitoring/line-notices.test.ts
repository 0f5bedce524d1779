import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  DEFAULT_LINE_NOTICES,
  LINE_NOTICE_CONTACT_DEFAULTS,
  LINE_NOTICE_KINDS,
  localTime,
  parseCadenceDocument,
  planLineNotices,
} from '../../src/monitoring/index.js';

const D = parseDate('2026-03-10');
const shipped = JSON.parse(readFileSync('policies/reminders/default-cadence.json', 'utf8'));
const cut = [
  {
    kind: 'limit-changed' as const,
    fromLimitMinor: 8_000_000,
    toLimitMinor: 1_698_400,
    code: 'LC_M3_CUT',
    reason: 'M3 or worse',
    day: D,
  },
  {
    kind: 'frozen' as const,
    fromLimitMinor: 1_698_400,
    toLimitMinor: 1_698_400,
    code: 'LC_M3_CUT',
    reason: 'M3 or worse',
    day: D,
  },
];
// 2026-03-10 02:00 in Shanghai: outside contact hours.
const night = Date.UTC(2026, 2, 9, 18, 0);

describe('line notices (额度变动通知)', () => {
  it('tell the borrower of each change in their language, with the amounts, at the first contact hour', () => {
    const base = {
      customerId: 'C-1',
      lineId: 'CL-1',
      currency: 'CNY' as const,
      changes: cut,
      notices: undefined,
      hours: LINE_NOTICE_CONTACT_DEFAULTS.hours,
      atMs: night,
    };
    const zh = planLineNotices({
      ...base,
      borrower: { timeZone: 'Asia/Shanghai', lang: 'zh-CN', optOuts: [] },
    });
    expect(zh.map((n) => [n.kind, n.channel, n.lang])).toEqual([
      ['limit-changed', 'sms', 'zh-CN'],
      ['frozen', 'sms', 'zh-CN'],
    ]);
    expect(zh[0]!.body).toBe(
      '您的授信额度（CL-1）自2026-03-10起由 80000.00 CNY 调整为 16984.00 CNY。原因：M3 or worse。',
    );
    expect(zh[1]!.subject).toBe('您的授信额度已冻结');
    expect(localTime(zh[0]!.scheduledAtMs, 'Asia/Shanghai').minuteOfDay).toBe(8 * 60);
    expect(new Set(zh.map((n) => n.reminderKey)).size).toBe(2);
    const en = planLineNotices({
      ...base,
      borrower: { timeZone: 'Europe/London', lang: 'en', optOuts: [] },
    });
    expect(en[0]!.body).toBe(
      'The limit of your credit line (CL-1) changed from 80000.00 to 16984.00 CNY on 2026-03-10. Reason: M3 or worse.',
    );
    // 18:00 in London is within its contact hours: at once.
    expect(en[0]!.scheduledAtMs).toBe(night);
    // The same change planned again has the same key (the outbox adds it once).
    expect(en.map((n) => n.reminderKey)).toEqual(zh.map((n) => n.reminderKey));
    // Opted out of SMS: no notice on that channel.
    expect(
      planLineNotices({ ...base, borrower: { timeZone: 'Asia/Shanghai', lang: 'en', optOuts: ['sms'] } }),
    ).toEqual([]);
  });

  it("a cadence document's own notices replace the defaults; bad ones are refused with their place", () => {
    const own = {
      ...shipped,
      lineNotices: {
        frozen: {
          channel: 'app-push',
          templates: {
            'zh-CN': { subject: '额度冻结', body: '额度 {lineId} 冻结：{reason}' },
            en: { subject: 'Frozen', body: 'Line {lineId} frozen: {reason}' },
          },
        },
      },
    };
    const parsed = parseCadenceDocument(own);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const out = planLineNotices({
      customerId: 'C-1',
      lineId: 'CL-1',
      currency: 'CNY',
      changes: cut,
      borrower: { timeZone: 'Asia/Shanghai', lang: 'zh-CN', optOuts: [] },
      notices: parsed.document.lineNotices,
      hours: parsed.document.hours,
      atMs: night,
    });
    expect(out.map((n) => [n.kind, n.channel, n.body])).toEqual([
      ['limit-changed', 'sms', expect.stringContaining('16984.00')],
      ['frozen', 'app-push', '额度 CL-1 冻结：M3 or worse'],
    ]);
    const bad = parseCadenceDocument({
      ...shipped,
      lineNotices: {
        thawed: {},
        frozen: {
          channel: 'pigeon',
          templates: {
            'zh-CN': { subject: 'x', body: '额度 {amountDue}' },
            en: { subject: 'x {', body: '' },
          },
        },
      },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => i.path)).toEqual([
      '/lineNotices/thawed',
      '/lineNotices/frozen/channel',
      '/lineNotices/frozen/templates/zh-CN/body',
      '/lineNotices/frozen/templates/en/subject',
      '/lineNotices/frozen/templates/en/body',
    ]);
    expect(bad.issues[2]!.message).toMatch(/unknown placeholder \{amountDue\}/);
  });

  it('defaults cover every kind in both languages, and match the shipped cadence contact defaults', () => {
    for (const kind of LINE_NOTICE_KINDS) {
      expect(DEFAULT_LINE_NOTICES[kind].templates['zh-CN'].body).toMatch(/[\u4e00-\u9fff]/);
      expect(DEFAULT_LINE_NOTICES[kind].templates.en.body).toMatch(/credit line/);
    }
    const parsed = parseCadenceDocument(shipped);
    if (!parsed.ok) throw new Error('the shipped cadence must parse');
    expect(parsed.document.defaultContact).toEqual({
      timeZone: LINE_NOTICE_CONTACT_DEFAULTS.timeZone,
      lang: LINE_NOTICE_CONTACT_DEFAULTS.lang,
    });
    expect(parsed.document.hours).toEqual(LINE_NOTICE_CONTACT_DEFAULTS.hours);
  });
});
