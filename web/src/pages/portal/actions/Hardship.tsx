import { Alert, Button, Card, Descriptions, Empty, Input, InputNumber, Select, Space, Table } from 'antd';
import { useState } from 'react';
import type { ApiClient } from '../../../api.js';
import { useRouter } from '../../../router.js';
import {
  ActionPage,
  type ChosenFile,
  FileField,
  Loading,
  ProblemAlert,
  StatusTag,
  useLoad,
  useWrite,
} from './common.js';
import { type ActionKey, useActionsText } from './text.js';

const KINDS = ['payment-holiday', 'negotiated-plan', 'term-extension'] as const;
/** Months a borrower may ask for, by kind (as the API checks them). */
const MONTHS_MAX: Record<(typeof KINDS)[number], number> = {
  'payment-holiday': 6,
  'negotiated-plan': 60,
  'term-extension': 36,
};
const CAUSES = [
  'illness',
  'disaster',
  'shock-industry',
  'unemployment',
  'business-failure',
  'other',
] as const;
const AMOUNT = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/;

interface Arrears {
  penalty: string;
  interest: string;
  fee: string;
}

export interface OfferTerms {
  kind: string;
  plannedDate: string;
  principal: string;
  installments: {
    number: number;
    dueDate: string;
    principal: string;
    interest: string;
    fee: string;
    total: string;
  }[];
  fees: string;
  waived: Arrears;
  capitalised: Arrears;
  forgiven: string;
  monthsExtended: number;
  observationEndDate: string | null;
  classFloor: string;
}

export interface HardshipRequest {
  requestId: string;
  loanId: string;
  kind: string;
  months: number;
  cause: string;
  declaredMonthlyIncome: string;
  status: 'received' | 'offered' | 'accepted' | 'declined';
  offer: OfferTerms | null;
  offeredDate: string | null;
  answeredDate: string | null;
  waitsForApproval?: boolean;
  restructuringStatus?: 'pending' | 'applied' | 'rejected' | null;
  receivedDate: string;
}

interface LoanItem {
  loan: { loanId: string; status: string };
}

const statusColor = {
  received: 'default',
  offered: 'gold',
  accepted: 'green',
  declined: 'default',
  awaitingApproval: 'gold',
  notApproved: 'red',
} as const;

/** The request's status as the borrower should read it: an accepted offer may still wait for, or fail, approval. */
function shownStatus(r: HardshipRequest): keyof typeof statusColor {
  if (r.status !== 'accepted') return r.status;
  if (r.restructuringStatus === 'rejected') return 'notApproved';
  if (r.restructuringStatus === 'pending') return 'awaitingApproval';
  return 'accepted';
}

/** The borrower's hardship requests, and the way to a new one. */
export function HardshipList({ api }: { api: ApiClient }) {
  const { tx, word, date } = useActionsText();
  const { navigate } = useRouter();
  const { data, error } = useLoad<{ items: HardshipRequest[] }>(api, '/portal/hardship-requests');
  return (
    <ActionPage title={tx('act.hardship')}>
      <Alert type="info" message={tx('act.hardshipIntro')} />
      <Button type="primary" block onClick={() => navigate('/portal/hardship/new')} data-testid="act-apply">
        {tx('act.apply')}
      </Button>
      <h3 style={{ margin: 0, fontSize: 16 }}>{tx('act.requests')}</h3>
      {data === null ? <Loading error={error} /> : null}
      {data?.items.length === 0 ? <Empty description={tx('act.none')} /> : null}
      {data?.items.map((r) => (
        <Card key={r.requestId} size="small" data-testid="act-hardship-item">
          <Space direction="vertical" style={{ width: '100%' }}>
            <div>
              <StatusTag color={statusColor[shownStatus(r)]} data-testid="act-hardship-status">
                {word('act.status', shownStatus(r))}
              </StatusTag>
              {word('act.kind', r.kind)} · {r.months}
            </div>
            <div style={{ color: '#595959' }}>{tx('act.received', { date: date(r.receivedDate) })}</div>
            <Button
              block
              onClick={() => navigate(`/portal/hardship/${r.requestId}`)}
              data-testid="act-see-offer"
            >
              {r.status === 'offered' ? tx('act.seeOffer') : tx('act.seeRequest')}
            </Button>
          </Space>
        </Card>
      ))}
    </ActionPage>
  );
}

/** The observation period and what it means, in plain words (shown before applying and with an offer). */
function ObservationExplained() {
  const { tx } = useActionsText();
  return (
    <Alert
      type="warning"
      data-testid="act-observation"
      message={tx('act.observationTitle')}
      description={tx('act.observationText')}
    />
  );
}

/** Apply for hardship help on one of the borrower's loans. */
export function HardshipApply({ api }: { api: ApiClient }) {
  const { tx, word } = useActionsText();
  const { navigate } = useRouter();
  const loans = useLoad<{ items: LoanItem[] }>(api, '/portal/loans');
  const active = loans.data?.items.filter((l) => l.loan.status === 'active') ?? [];
  const [loanId, setLoanId] = useState<string | undefined>(undefined);
  const [kind, setKind] = useState<(typeof KINDS)[number]>('negotiated-plan');
  const [months, setMonths] = useState<number | null>(6);
  const [cause, setCause] = useState<(typeof CAUSES)[number] | undefined>(undefined);
  const [income, setIncome] = useState('');
  const [reason, setReason] = useState('');
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [local, setLocal] = useState<string | null>(null);
  const write = useWrite();
  const chosenLoan = loanId ?? active[0]?.loan.loanId;

  const submit = async () => {
    setLocal(null);
    if (chosenLoan === undefined || cause === undefined || months === null) {
      setLocal(tx('act.required'));
      return;
    }
    if (!AMOUNT.test(income.trim())) {
      setLocal(tx('act.incomeInvalid'));
      return;
    }
    if (reason.trim().length < 5) {
      setLocal(tx('act.reasonShort'));
      return;
    }
    const body = {
      loanId: chosenLoan,
      kind,
      months,
      cause,
      declaredMonthlyIncome: income.trim(),
      reason: reason.trim(),
      ...(file === null ? {} : { file: { name: file.name, contentBase64: file.contentBase64 } }),
    };
    const created = await write.run('/portal/hardship-requests', body, (key) =>
      api.post<HardshipRequest>('/portal/hardship-requests', body, key),
    );
    if (created !== undefined) navigate(`/portal/hardship/${created.requestId}?sent=1`);
  };

  if (loans.data === null) return <Loading error={loans.error} />;
  return (
    <ActionPage title={tx('act.apply')} back="/portal/hardship">
      <ObservationExplained />
      <Card size="small">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          style={{ display: 'grid', gap: 4 }}
        >
          <Field id="act-loan" label={tx('act.loan')}>
            <Select
              id="act-loan"
              value={chosenLoan}
              onChange={setLoanId}
              options={active.map((l) => ({ value: l.loan.loanId, label: l.loan.loanId }))}
              style={{ width: '100%' }}
              data-testid="act-loan"
            />
          </Field>
          <Field id="act-kind" label={tx('act.kind')}>
            <Select
              id="act-kind"
              value={kind}
              onChange={setKind}
              options={KINDS.map((k) => ({ value: k, label: word('act.kind', k) }))}
              style={{ width: '100%' }}
              data-testid="act-kind"
            />
          </Field>
          <Field
            id="act-months"
            label={tx('act.months')}
            help={tx('act.monthsHelp', { max: MONTHS_MAX[kind] })}
          >
            <InputNumber
              id="act-months"
              min={1}
              max={MONTHS_MAX[kind]}
              precision={0}
              inputMode="numeric"
              value={months}
              onChange={(v) => setMonths(v)}
              style={{ width: '100%' }}
              data-testid="act-months"
            />
          </Field>
          <Field id="act-cause" label={tx('act.cause')}>
            <Select
              id="act-cause"
              value={cause}
              onChange={setCause}
              options={CAUSES.map((c) => ({ value: c, label: word('act.cause', c) }))}
              style={{ width: '100%' }}
              data-testid="act-cause"
            />
          </Field>
          <Field id="act-income" label={tx('act.income')} help={tx('act.incomeHelp')}>
            <Input
              id="act-income"
              inputMode="decimal"
              value={income}
              onChange={(e) => setIncome(e.target.value)}
              data-testid="act-income"
            />
          </Field>
          <Field id="act-reason" label={tx('act.reason')} help={tx('act.reasonHelp')}>
            <Input.TextArea
              id="act-reason"
              rows={4}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="act-reason"
            />
          </Field>
          <FileField
            id="act-file"
            label={tx('act.file')}
            help={tx('act.fileHelp')}
            value={file}
            onChange={setFile}
            testId="act-file"
          />
          {local !== null ? (
            <Alert type="error" role="alert" message={local} data-testid="act-error" />
          ) : null}
          <ProblemAlert error={write.error} />
          <Button type="primary" htmlType="submit" block loading={write.busy} data-testid="act-submit">
            {tx('act.send')}
          </Button>
        </form>
      </Card>
    </ActionPage>
  );
}

/** A labelled field of the action forms. */
export function Field({
  id,
  label,
  help,
  children,
}: {
  id: string;
  label: string;
  help?: string;
  children: React.ReactNode;
}) {
  return (
    <div style={{ marginBottom: 12, minWidth: 0 }}>
      <label htmlFor={id} style={{ display: 'block', marginBottom: 6 }}>
        {label}
      </label>
      {children}
      {help !== undefined ? <div style={{ color: '#595959', fontSize: 13, marginTop: 4 }}>{help}</div> : null}
    </div>
  );
}

function OfferView({ offer }: { offer: OfferTerms }) {
  const { tx, word, money, date } = useActionsText();
  const parts = (a: Arrears) =>
    tx('act.arrearsParts', { penalty: money(a.penalty), interest: money(a.interest), fee: money(a.fee) });
  const cls = word('act.class', offer.classFloor);
  return (
    <Card size="small" title={tx('act.offer')} data-testid="act-offer">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={tx('act.kind')}>{word('act.kind', offer.kind)}</Descriptions.Item>
        <Descriptions.Item label={tx('act.newPrincipal')}>{money(offer.principal)}</Descriptions.Item>
        <Descriptions.Item label={tx('act.fees')}>
          <span data-testid="act-offer-fees">{money(offer.fees)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={tx('act.waived')}>{parts(offer.waived)}</Descriptions.Item>
        <Descriptions.Item label={tx('act.capitalised')}>{parts(offer.capitalised)}</Descriptions.Item>
        <Descriptions.Item label={tx('act.monthsExtended')}>{offer.monthsExtended}</Descriptions.Item>
        <Descriptions.Item label={tx('act.observationEnd')}>
          <span data-testid="act-observation-end">
            {offer.observationEndDate === null ? tx('act.observationNone') : date(offer.observationEndDate)}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={tx('act.classFloor')}>
          <span data-testid="act-class-floor">{cls}</span>
        </Descriptions.Item>
      </Descriptions>
      {offer.observationEndDate !== null ? (
        <Alert
          type="info"
          style={{ marginBottom: 8 }}
          message={tx('act.classFloorText', { date: date(offer.observationEndDate), cls })}
        />
      ) : null}
      <h4 style={{ margin: '8px 0' }}>{tx('act.newSchedule')}</h4>
      <Table
        size="small"
        pagination={false}
        rowKey="number"
        data-testid="act-offer-schedule"
        dataSource={offer.installments}
        scroll={{ x: true }}
        columns={[
          { title: '#', dataIndex: 'number' },
          { title: tx('act.dueDate'), dataIndex: 'dueDate', render: (d: string) => date(d) },
          // What is paid each time first, where a phone shows it without scrolling; then its parts.
          { title: tx('act.total'), dataIndex: 'total', render: (m: string) => money(m) },
          { title: tx('act.principal'), dataIndex: 'principal', render: (m: string) => money(m) },
          { title: tx('act.interest'), dataIndex: 'interest', render: (m: string) => money(m) },
          { title: tx('act.fee'), dataIndex: 'fee', render: (m: string) => money(m) },
        ]}
      />
    </Card>
  );
}

interface LoanSchedule {
  schedule: { plan: { number: number; dueDate: string; total: string }[] };
}

/** The schedule the loan has now (after an accepted offer applied). */
function CurrentSchedule({ api, loanId }: { api: ApiClient; loanId: string }) {
  const { tx, money, date } = useActionsText();
  const { data, error } = useLoad<LoanSchedule>(api, `/portal/loans/${loanId}`);
  if (data === null) return <Loading error={error} />;
  return (
    <Card size="small" title={tx('act.currentSchedule')} data-testid="act-current-schedule">
      <Table
        size="small"
        pagination={false}
        rowKey="number"
        dataSource={data.schedule.plan}
        columns={[
          { title: '#', dataIndex: 'number' },
          { title: tx('act.dueDate'), dataIndex: 'dueDate', render: (d: string) => date(d) },
          { title: tx('act.total'), dataIndex: 'total', render: (m: string) => money(m) },
        ]}
      />
    </Card>
  );
}

/** One request: its status, the offer's terms when one is made, and the answer to it. */
export function HardshipRequestPage({ api, requestId }: { api: ApiClient; requestId: string }) {
  const { tx, word, date, money, search } = { ...useActionsText(), ...useRouter() };
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad<{ items: HardshipRequest[] }>(api, '/portal/hardship-requests', version);
  const [confirm, setConfirm] = useState<'accept' | 'decline' | null>(null);
  const [answered, setAnswered] = useState<HardshipRequest | null>(null);
  const write = useWrite();
  if (data === null) return <Loading error={error} />;
  const request = answered ?? data.items.find((r) => r.requestId === requestId);
  if (request === undefined) return <Alert type="error" role="alert" message={requestId} />;

  const answer = async (which: 'accept' | 'decline') => {
    const path = `/portal/hardship-requests/${requestId}/${which}`;
    const done = await write.run(path, {}, (key) => api.post<HardshipRequest>(path, {}, key));
    if (done !== undefined) {
      setConfirm(null);
      setAnswered(done);
      setVersion((v) => v + 1);
    }
  };
  const resultKey: ActionKey | null =
    answered === null
      ? null
      : answered.status === 'declined'
        ? 'act.declined'
        : answered.waitsForApproval === true
          ? 'act.waitsForApproval'
          : 'act.accepted';

  return (
    <ActionPage title={tx('act.hardship')} back="/portal/hardship">
      {new URLSearchParams(search).get('sent') === '1' && request.status === 'received' ? (
        <Alert type="success" showIcon message={tx('act.sent')} data-testid="act-sent" />
      ) : null}
      <Card size="small">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={tx('act.loan')}>{request.loanId}</Descriptions.Item>
          <Descriptions.Item label={tx('act.kind')}>{word('act.kind', request.kind)}</Descriptions.Item>
          <Descriptions.Item label={tx('act.months')}>{request.months}</Descriptions.Item>
          <Descriptions.Item label={tx('act.cause')}>{word('act.cause', request.cause)}</Descriptions.Item>
          <Descriptions.Item label={tx('act.income')}>
            {money(request.declaredMonthlyIncome)}
          </Descriptions.Item>
          <Descriptions.Item label={tx('act.sentOn')}>{date(request.receivedDate)}</Descriptions.Item>
          <Descriptions.Item label={tx('act.status')}>
            <StatusTag color={statusColor[shownStatus(request)]} data-testid="act-hardship-status">
              {word('act.status', shownStatus(request))}
            </StatusTag>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {resultKey !== null ? (
        <Alert type="success" showIcon role="status" message={tx(resultKey)} data-testid="act-answered" />
      ) : null}
      {request.offer === null ? <Alert type="info" message={tx('act.noOffer')} /> : null}
      {request.offer !== null ? (
        <>
          <OfferView offer={request.offer} />
          <ObservationExplained />
        </>
      ) : null}
      <ProblemAlert error={write.error} />
      {request.status === 'offered' ? (
        confirm === null ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Button type="primary" block onClick={() => setConfirm('accept')} data-testid="act-accept">
              {tx('act.accept')}
            </Button>
            <Button block onClick={() => setConfirm('decline')} data-testid="act-decline">
              {tx('act.decline')}
            </Button>
          </Space>
        ) : (
          <Card size="small">
            <p data-testid="act-confirm-text">
              {tx(confirm === 'accept' ? 'act.acceptConfirm' : 'act.declineConfirm')}
            </p>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Button
                type="primary"
                danger={confirm === 'decline'}
                block
                loading={write.busy}
                onClick={() => void answer(confirm)}
                data-testid="act-confirm"
              >
                {tx(confirm === 'accept' ? 'act.accept' : 'act.decline')}
              </Button>
              <Button block onClick={() => setConfirm(null)} disabled={write.busy}>
                {tx('act.back')}
              </Button>
            </Space>
          </Card>
        )
      ) : null}
      {request.status === 'accepted' && answered?.waitsForApproval !== true ? (
        <CurrentSchedule api={api} loanId={request.loanId} />
      ) : null}
    </ActionPage>
  );
}
