import { Alert, Button, Card, Checkbox, Space, Switch } from 'antd';
import { useState } from 'react';
import type { ApiClient } from '../../../api.js';
import { ActionPage, Loading, ProblemAlert, useLoad, useWrite } from './common.js';
import { Field } from './Hardship.js';
import { useActionsText } from './text.js';

interface Preferences {
  optOuts: string[];
  contactWindow: { from: string; to: string } | null;
  lenderHours: { from: string; to: string };
  channels: string[];
  alwaysSent: string[];
  windowMinutesMin: number;
}

const TIME_STYLE = {
  width: 110,
  height: 32,
  fontSize: 16,
  borderRadius: 6,
  border: '1px solid #d9d9d9',
  background: '#fff',
} as const;

const minuteOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Half-hour steps inside the lender's hours: the times a window may start or end at. */
function times(hours: { from: string; to: string }): string[] {
  const out: string[] = [];
  for (let m = minuteOf(hours.from); m <= minuteOf(hours.to); m += 30) out.push(clock(m));
  return out;
}

/**
 * How the borrower is reminded: the channels they want (the API keeps the ones they do not) and a contact
 * window inside the lender's hours. The notices the law requires are listed as always sent.
 */
export function RemindersPage({ api }: { api: ApiClient }) {
  const { data, error } = useLoad<Preferences>(api, '/portal/reminder-preferences');
  if (data === null) return <Loading error={error} />;
  return <RemindersForm api={api} data={data} />;
}

/** The form, started from the stored preferences (so what is shown first is what is set). */
function RemindersForm({ api, data }: { api: ApiClient; data: Preferences }) {
  const { tx, word } = useActionsText();
  const [wanted, setWanted] = useState<string[]>(() =>
    data.channels.filter((c) => !data.optOuts.includes(c)),
  );
  const [useWindow, setUseWindow] = useState(data.contactWindow !== null);
  const [from, setFrom] = useState(data.contactWindow?.from ?? '09:00');
  const [to, setTo] = useState(data.contactWindow?.to ?? '18:00');
  const [saved, setSaved] = useState(false);
  const write = useWrite();

  const save = async () => {
    setSaved(false);
    const body = {
      optOuts: data.channels.filter((c) => !wanted.includes(c)),
      contactWindow: useWindow ? { from, to } : null,
    };
    const done = await write.run('/portal/reminder-preferences', body, (key) =>
      api.request<Preferences>('PUT', '/portal/reminder-preferences', { body, idempotencyKey: key }),
    );
    if (done !== undefined) setSaved(true);
  };
  // The phone's own picker: a native select of half-hour steps.
  const options = times(data.lenderHours).map((t) => (
    <option key={t} value={t}>
      {t}
    </option>
  ));
  return (
    <ActionPage title={tx('act.reminders')}>
      <Card size="small">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <fieldset style={{ border: 0, padding: 0, margin: '0 0 16px' }}>
            <legend style={{ fontSize: 14, marginBottom: 6 }}>{tx('act.channels')}</legend>
            <Checkbox.Group
              value={wanted}
              onChange={(v) => setWanted(v as string[])}
              data-testid="act-channels"
            >
              <Space direction="vertical">
                {data.channels.map((c) => (
                  <Checkbox key={c} value={c} data-testid={`act-channel-${c}`}>
                    {word('act.channel', c)}
                  </Checkbox>
                ))}
              </Space>
            </Checkbox.Group>
          </fieldset>
          <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
            <Switch
              id="act-window-on"
              checked={useWindow}
              onChange={setUseWindow}
              data-testid="act-window-on"
            />
            <label htmlFor="act-window-on">{tx('act.windowUse')}</label>
          </div>
          {useWindow ? (
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontSize: 14, marginBottom: 6 }}>{tx('act.window')}</legend>
              <Space style={{ width: '100%' }} align="start">
                <Field id="act-window-from" label={tx('act.windowFrom')}>
                  <select
                    id="act-window-from"
                    value={from}
                    onChange={(e) => setFrom(e.target.value)}
                    style={TIME_STYLE}
                    data-testid="act-window-from"
                  >
                    {options}
                  </select>
                </Field>
                <Field id="act-window-to" label={tx('act.windowTo')}>
                  <select
                    id="act-window-to"
                    value={to}
                    onChange={(e) => setTo(e.target.value)}
                    style={TIME_STYLE}
                    data-testid="act-window-to"
                  >
                    {options}
                  </select>
                </Field>
              </Space>
              <div style={{ color: '#595959', fontSize: 13, marginBottom: 12 }}>
                {tx('act.windowHelp', {
                  from: data.lenderHours.from,
                  to: data.lenderHours.to,
                  hours: data.windowMinutesMin / 60,
                })}
              </div>
            </fieldset>
          ) : null}
          <ProblemAlert error={write.error} />
          {saved ? (
            <Alert type="success" showIcon role="status" message={tx('act.saved')} data-testid="act-saved" />
          ) : null}
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={write.busy}
            style={{ marginTop: 12 }}
            data-testid="act-save"
          >
            {tx('act.save')}
          </Button>
        </form>
      </Card>
      <Card size="small" title={tx('act.alwaysSent')} data-testid="act-always-sent">
        <p style={{ marginTop: 0 }}>{tx('act.alwaysSentIntro')}</p>
        <ul style={{ paddingLeft: 18 }}>
          {data.alwaysSent.map((n) => (
            <li key={n}>
              <Checkbox checked disabled aria-label={word('act.notice', n)} /> {word('act.notice', n)}
            </li>
          ))}
        </ul>
        <p style={{ marginBottom: 0, color: '#595959' }}>{tx('act.collectorsNote')}</p>
      </Card>
    </ActionPage>
  );
}
