import { App as AntApp, Button, Card, Input, Space, Table, Typography, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiProblem } from '../../api.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { csvRows, type OutflowRow as Row, twoPlaces } from '../../finance.js';
import { useI18n } from '../../i18n.js';
import { can } from '../../permissions.js';
import { useApi, useSession } from '../../session.js';

interface Outflow {
  outflowId: string;
  day: string;
  amount: string;
  label: string;
  enteredBy: string;
}

const EMPTY: Row = { day: '', amount: '', label: '' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;

/** 资金流出: the outflows the liquidity report sets expected cash-in against, entered or imported by finance. */
export function FundingOutflowsPage() {
  const { t, money } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<Outflow[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [rows, setRows] = useState<Row[]>([{ ...EMPTY }]);
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mayEnter = can(me!.role, 'reports.funding');

  const load = useCallback(async () => {
    try {
      const r = await api.get<{ items: Outflow[]; truncated: boolean }>('/reports/funding-outflows');
      setItems(r.items);
      setTruncated(r.truncated);
    } catch (error) {
      setProblem(error);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const change = (i: number, field: keyof Row, value: string) =>
    setRows((all) => all.map((r, j) => (j === i ? { ...r, [field]: value } : r)));

  /** What the API checks by its schema, said at the row before sending. */
  const check = (list: Row[]): Record<number, string> => {
    const out: Record<number, string> = {};
    list.forEach((r, i) => {
      if (!DAY.test(r.day.trim())) out[i] = t('funding.dayInvalid');
      else if (!AMOUNT.test(r.amount.trim())) out[i] = t('funding.amountInvalid');
      else if (r.label.trim() === '') out[i] = t('funding.labelRequired');
      else if (r.label.trim().length > 200) out[i] = t('funding.labelTooLong');
    });
    return out;
  };

  const submit = async () => {
    const list = rows.filter((r) => r.day !== '' || r.amount !== '' || r.label !== '');
    setProblem(null);
    if (list.length === 0) {
      setRowErrors({ 0: t('funding.noRows') });
      return;
    }
    const errors = check(list);
    setRowErrors(errors);
    if (Object.keys(errors).length > 0) {
      setRows(list);
      return;
    }
    setBusy(true);
    try {
      const outflows = list.map((r) => ({
        day: r.day.trim(),
        amount: twoPlaces(r.amount),
        label: r.label.trim(),
      }));
      const r = await api.post<{ stored: number }>('/reports/funding-outflows', { outflows });
      message.success(t('funding.stored', { n: r.stored }));
      setRows([{ ...EMPTY }]);
      await load();
    } catch (error) {
      setProblem(error);
      if (error instanceof ApiProblem) {
        const at: Record<number, string> = {};
        for (const e of error.errors) {
          const m = /^\/body\/outflows\/(\d+)/.exec(e.path);
          if (m !== null) at[Number(m[1])] = e.message;
        }
        setRowErrors(at);
      }
    } finally {
      setBusy(false);
    }
  };

  const importFile = async (file: File) => {
    const imported = csvRows(await file.text());
    setRows((all) => [...all.filter((r) => r.day !== '' || r.amount !== '' || r.label !== ''), ...imported]);
    setRowErrors({});
    return false;
  };

  return (
    <div data-testid="page-funding-outflows">
      <Typography.Title level={2}>{t('funding.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('funding.intro')}</Typography.Paragraph>
      <ProblemAlert error={problem} />
      {mayEnter ? (
        <Card
          size="small"
          title={t('funding.enterTitle')}
          style={{ marginBottom: 16 }}
          data-testid="funding-form"
        >
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions of the list sent; the server names them by index
            <div key={i} style={{ marginBottom: 8 }} data-testid={`funding-row-${i}`}>
              <Space wrap>
                <Input
                  value={r.day}
                  onChange={(e) => change(i, 'day', e.target.value)}
                  placeholder="YYYY-MM-DD"
                  aria-label={t('funding.day')}
                  style={{ width: 140 }}
                  status={rowErrors[i] === undefined ? '' : 'error'}
                  data-testid={`funding-day-${i}`}
                />
                <Input
                  value={r.amount}
                  onChange={(e) => change(i, 'amount', e.target.value)}
                  placeholder={t('funding.amountHint')}
                  aria-label={t('funding.amount')}
                  style={{ width: 160 }}
                  status={rowErrors[i] === undefined ? '' : 'error'}
                  data-testid={`funding-amount-${i}`}
                />
                <Input
                  value={r.label}
                  onChange={(e) => change(i, 'label', e.target.value)}
                  placeholder={t('funding.labelHint')}
                  aria-label={t('funding.label')}
                  style={{ width: 320 }}
                  maxLength={200}
                  status={rowErrors[i] === undefined ? '' : 'error'}
                  data-testid={`funding-label-${i}`}
                />
                {rows.length > 1 ? (
                  <Button size="small" onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
                    {t('funding.removeRow')}
                  </Button>
                ) : null}
              </Space>
              {rowErrors[i] === undefined ? null : (
                <div style={{ color: '#ff4d4f' }} data-testid={`funding-error-${i}`}>
                  {rowErrors[i]}
                </div>
              )}
            </div>
          ))}
          <Space wrap>
            <Button onClick={() => setRows((all) => [...all, { ...EMPTY }])} data-testid="funding-add">
              {t('funding.addRow')}
            </Button>
            <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(f) => importFile(f)}>
              <Button data-testid="funding-import">{t('funding.import')}</Button>
            </Upload>
            <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="funding-submit">
              {t('funding.submit')}
            </Button>
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('funding.importHelp')}
          </Typography.Paragraph>
        </Card>
      ) : null}
      <Card title={t('funding.listTitle')}>
        {truncated ? (
          <Typography.Paragraph type="warning">{t('funding.truncated')}</Typography.Paragraph>
        ) : null}
        <Table<Outflow>
          rowKey="outflowId"
          loading={items === null}
          dataSource={items ?? []}
          pagination={false}
          size="small"
          locale={{ emptyText: t('funding.empty') }}
          data-testid="funding-list"
          columns={[
            { title: t('funding.day'), dataIndex: 'day' },
            {
              title: t('funding.amount'),
              dataIndex: 'amount',
              align: 'right',
              render: (v: string) => money(v),
            },
            { title: t('funding.label'), dataIndex: 'label' },
            {
              title: t('funding.enteredBy'),
              dataIndex: 'enteredBy',
              render: (u: string) => <code>{u}</code>,
            },
          ]}
        />
      </Card>
    </div>
  );
}
