import { Alert, Button, Card, Descriptions, Empty, Input, Select, Timeline } from 'antd';
import { useState } from 'react';
import type { ApiClient } from '../../../api.js';
import { useRouter } from '../../../router.js';
import { ActionPage, Loading, ProblemAlert, StatusTag, useLoad, useWrite } from './common.js';
import { Field } from './Hardship.js';
import { useActionsText } from './text.js';

const CATEGORIES = [
  'collection_conduct',
  'fees_interest',
  'credit_report',
  'privacy',
  'repayment',
  'service',
  'other',
] as const;

interface Timer {
  dueDate: string;
  state: string;
  daysLeft: number | null;
}

interface Complaint {
  complaintId: string;
  loanId: string | null;
  category: string;
  summary: string;
  receivedDate: string;
  status: 'received' | 'acknowledged' | 'resolved';
  resolution: string | null;
  sla: { acknowledge: Timer; resolve: Timer };
}

interface ComplaintDetail {
  complaint: Complaint;
  events: { seq: number; action: string; date: string }[];
}

const statusColor = { received: 'gold', acknowledged: 'blue', resolved: 'green' } as const;

function ComplaintSummary({ c }: { c: Complaint }) {
  const { tx, word } = useActionsText();
  return (
    <>
      <div>
        <StatusTag color={statusColor[c.status]} data-testid="act-complaint-status">
          {word('act.complaintStatus', c.status)}
        </StatusTag>
        {word('act.category', c.category)}
      </div>
      <div style={{ margin: '6px 0', whiteSpace: 'pre-wrap' }} data-testid="act-complaint-summary">
        {c.summary}
      </div>
      <div style={{ color: '#595959', fontSize: 13 }}>
        {c.status === 'received' ? tx('act.ackBy', { date: c.sla.acknowledge.dueDate }) : null}
        {c.status === 'acknowledged' ? tx('act.resolveBy', { date: c.sla.resolve.dueDate }) : null}
      </div>
    </>
  );
}

/** File a complaint, and the borrower's complaints with their status. */
export function ComplaintsPage({ api }: { api: ApiClient }) {
  const { tx, word } = useActionsText();
  const { navigate } = useRouter();
  const [version, setVersion] = useState(0);
  const list = useLoad<{ items: Complaint[] }>(api, '/portal/complaints', version);
  const loans = useLoad<{ items: { loan: { loanId: string } }[] }>(api, '/portal/loans');
  const [category, setCategory] = useState<string | undefined>(undefined);
  const [summary, setSummary] = useState('');
  const [loanId, setLoanId] = useState<string>('');
  const [local, setLocal] = useState<string | null>(null);
  const [filed, setFiled] = useState<Complaint | null>(null);
  const write = useWrite();
  const submit = async () => {
    setLocal(null);
    if (category === undefined || summary.trim() === '') {
      setLocal(tx('act.required'));
      return;
    }
    const body = { category, summary: summary.trim(), ...(loanId === '' ? {} : { loanId }) };
    const done = await write.run('/portal/complaints', body, (key) =>
      api.post<Complaint>('/portal/complaints', body, key),
    );
    if (done !== undefined) {
      setFiled(done);
      setSummary('');
      setCategory(undefined);
      setVersion((v) => v + 1);
    }
  };
  return (
    <ActionPage title={tx('act.complaints')}>
      <Card size="small" title={tx('act.complaintNew')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field id="act-category" label={tx('act.category')}>
            <Select
              id="act-category"
              value={category}
              onChange={setCategory}
              options={CATEGORIES.map((c) => ({ value: c, label: word('act.category', c) }))}
              style={{ width: '100%' }}
              data-testid="act-category"
            />
          </Field>
          <Field id="act-complaint-loan" label={tx('act.complaintLoan')}>
            <Select
              id="act-complaint-loan"
              value={loanId}
              onChange={setLoanId}
              options={[
                { value: '', label: tx('act.noLoan') },
                ...(loans.data?.items ?? []).map((l) => ({ value: l.loan.loanId, label: l.loan.loanId })),
              ]}
              style={{ width: '100%' }}
            />
          </Field>
          <Field id="act-summary" label={tx('act.summary')} help={tx('act.summaryHelp')}>
            <Input.TextArea
              id="act-summary"
              rows={4}
              maxLength={2000}
              value={summary}
              onChange={(e) => setSummary(e.target.value)}
              data-testid="act-summary"
            />
          </Field>
          {local !== null ? (
            <Alert type="error" role="alert" message={local} data-testid="act-error" />
          ) : null}
          <ProblemAlert error={write.error} />
          {filed !== null ? (
            <Alert
              type="success"
              showIcon
              role="status"
              message={tx('act.complaintSent', { date: filed.sla.acknowledge.dueDate })}
              data-testid="act-complaint-sent"
            />
          ) : null}
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={write.busy}
            style={{ marginTop: 12 }}
            data-testid="act-complaint-submit"
          >
            {tx('act.file_complaint')}
          </Button>
        </form>
      </Card>
      <h3 style={{ margin: 0, fontSize: 16 }}>{tx('act.myComplaints')}</h3>
      {list.data === null ? <Loading error={list.error} /> : null}
      {list.data?.items.length === 0 ? <Empty description={tx('act.noComplaints')} /> : null}
      {list.data?.items.map((c) => (
        <Card key={c.complaintId} size="small" data-testid="act-complaint">
          <ComplaintSummary c={c} />
          <Button
            block
            style={{ marginTop: 8 }}
            onClick={() => navigate(`/portal/complaints/${c.complaintId}`)}
            data-testid="act-complaint-open"
          >
            {tx('act.openComplaint')}
          </Button>
        </Card>
      ))}
    </ActionPage>
  );
}

/** One complaint: its status, timers, answer and what happened when. */
export function ComplaintPage({ api, complaintId }: { api: ApiClient; complaintId: string }) {
  const { tx, word, date } = useActionsText();
  const { data, error } = useLoad<ComplaintDetail>(api, `/portal/complaints/${complaintId}`);
  if (data === null) return <Loading error={error} />;
  return (
    <ActionPage title={tx('act.complaints')} back="/portal/complaints">
      <Card size="small" data-testid="act-complaint-detail">
        <ComplaintSummary c={data.complaint} />
        {data.complaint.resolution !== null ? (
          <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
            <Descriptions.Item label={tx('act.resolution')}>{data.complaint.resolution}</Descriptions.Item>
          </Descriptions>
        ) : null}
      </Card>
      <Card size="small" title={tx('act.history')} data-testid="act-complaint-history">
        <Timeline
          items={data.events.map((e) => ({
            key: e.seq,
            children: `${date(e.date)} ${word('act.event', e.action)}`,
          }))}
        />
      </Card>
    </ActionPage>
  );
}
