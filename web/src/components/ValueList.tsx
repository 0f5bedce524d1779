import { Typography } from 'antd';
import { useI18n } from '../i18n.js';
import { valueEntries } from '../reasons.js';

/** The values a rule or flag saw, as a short list with amounts in yuan (never raw JSON in fen). */
export function ValueList({ values, testId }: { values: unknown; testId?: string }) {
  const { t, money } = useI18n();
  const entries = valueEntries(values, t, money);
  if (entries.length === 0) return null;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid={testId}>
      {entries.map((e) => (
        <li key={e.key}>
          <Typography.Text type="secondary">{e.label}</Typography.Text>
          {t('common.colon')}
          <span style={{ wordBreak: 'break-all' }}>{e.text}</span>
        </li>
      ))}
    </ul>
  );
}
