import { Alert, Button, Card, Descriptions, Empty, Input, List, Space, Tag } from 'antd';
import { useState } from 'react';
import type { ApiClient } from '../../../api.js';
import { percent } from '../../../decisions.js';
import { reasonText } from '../../../reasons.js';
import { ActionPage, Loading, ProblemAlert, useLoad, useWrite } from './common.js';
import { Field } from './Hardship.js';
import { useActionsText } from './text.js';

/** Outcomes of an automated decision in the reader's words (a line change's kind, a decision's outcome). */
const OUTCOME_WORDS = {
  'zh-CN': {
    approve: '通过',
    decline: '拒绝',
    refer: '转人工审核',
    frozen: '冻结',
    unfrozen: '解冻',
    'limit-changed': '调整额度',
    closed: '关闭',
  },
  en: {
    approve: 'approved',
    decline: 'declined',
    refer: 'referred to a person',
    frozen: 'frozen',
    unfrozen: 'unfrozen',
    'limit-changed': 'limit changed',
    closed: 'closed',
  },
} as const;

interface AutomatedDecision {
  kind: 'origination' | 'line-control';
  decisionId: string;
  lineId: string | null;
  changeNo: number | null;
  date: string;
  outcome: string;
  riskGrade: string | null;
  reasons: { code: string; message: string; source: string; values: Record<string, unknown> }[];
  explanation: string;
  requests: { requestId: string; kind: string; status: string; answer: string | null }[];
}

/** One automated decision: its reasons, an explanation on request, an objection a person reviews. */
function DecisionCard({
  api,
  d,
  onChanged,
}: {
  api: ApiClient;
  d: AutomatedDecision;
  onChanged: () => void;
}) {
  const { tx, word, date, locale, t, money } = useActionsText();
  const outcome = (OUTCOME_WORDS[locale] as Record<string, string>)[d.outcome] ?? d.outcome;
  const reason = (r: AutomatedDecision['reasons'][number]) =>
    d.kind === 'origination'
      ? reasonText(
          r as Parameters<typeof reasonText>[0],
          { riskGrade: d.riskGrade, record: null } as unknown as Parameters<typeof reasonText>[1],
          locale,
          t,
          money,
          percent,
        )
      : r.message;
  const [explanation, setExplanation] = useState<string | null>(null);
  const [objecting, setObjecting] = useState(false);
  const [statement, setStatement] = useState('');
  const [objected, setObjected] = useState(false);
  const write = useWrite();
  const explain = async () => {
    const path = `/portal/decisions/${d.decisionId}/explanation`;
    const done = await write.run(path, {}, (key) => api.post<{ explanation: string }>(path, {}, key));
    if (done !== undefined) {
      setExplanation(done.explanation);
      onChanged();
    }
  };
  const object = async () => {
    const path =
      d.kind === 'origination'
        ? `/portal/decisions/${d.decisionId}/objections`
        : `/portal/line-changes/${d.lineId}/${d.changeNo}/objections`;
    const body = { statement: statement.trim() };
    const done = await write.run(path, body, (key) => api.post<unknown>(path, body, key));
    if (done !== undefined) {
      setObjected(true);
      setObjecting(false);
      onChanged();
    }
  };
  const id = d.decisionId;
  return (
    <Card size="small" title={word('act.decision', d.kind)} data-testid="act-decision">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={tx('act.requestDate')}>{date(d.date)}</Descriptions.Item>
        <Descriptions.Item label={tx('act.outcome')}>{outcome}</Descriptions.Item>
      </Descriptions>
      <div style={{ marginBottom: 8 }}>{tx('act.reasons')}</div>
      <ul style={{ paddingLeft: 18 }}>
        {d.reasons.map((r) => (
          <li key={r.code}>{reason(r)}</li>
        ))}
      </ul>
      {explanation !== null ? (
        <Alert
          type="info"
          message={tx('act.explanation')}
          description={explanation}
          data-testid="act-explanation"
        />
      ) : null}
      {objected ? (
        <Alert
          type="success"
          showIcon
          role="status"
          message={tx('act.objectionSent')}
          data-testid="act-objected"
        />
      ) : null}
      {d.requests.length > 0 ? (
        <List
          size="small"
          header={tx('act.yourRequests')}
          dataSource={d.requests}
          renderItem={(r) => (
            <List.Item key={r.requestId}>
              <Tag>{r.kind}</Tag> {r.status} {r.answer ?? ''}
            </List.Item>
          )}
        />
      ) : null}
      <ProblemAlert error={write.error} />
      {objecting ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void object();
          }}
        >
          <Field id={`act-statement-${id}`} label={tx('act.statement')} help={tx('act.statementHelp')}>
            <Input.TextArea
              id={`act-statement-${id}`}
              rows={3}
              maxLength={1000}
              value={statement}
              onChange={(e) => setStatement(e.target.value)}
              data-testid="act-statement"
            />
          </Field>
          <Button type="primary" htmlType="submit" block loading={write.busy} data-testid="act-object-send">
            {tx('act.object')}
          </Button>
        </form>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {d.kind === 'origination' ? (
            <Button block onClick={() => void explain()} loading={write.busy} data-testid="act-explain">
              {tx('act.explain')}
            </Button>
          ) : null}
          <Button block onClick={() => setObjecting(true)} data-testid="act-object">
            {tx('act.object')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

/** The automated decisions about the borrower (PIPL Art. 24). */
export function DecisionsPage({ api }: { api: ApiClient }) {
  const { tx } = useActionsText();
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad<{ items: AutomatedDecision[] }>(api, '/portal/decisions', version);
  return (
    <ActionPage title={tx('act.decisions')}>
      <Alert type="info" message={tx('act.decisionsIntro')} />
      {data === null ? <Loading error={error} /> : null}
      {data?.items.length === 0 ? <Empty description={tx('act.noDecisions')} /> : null}
      {data?.items.map((d) => (
        <DecisionCard
          key={`${d.decisionId}-${d.changeNo ?? 0}`}
          api={api}
          d={d}
          onChanged={() => setVersion((v) => v + 1)}
        />
      ))}
    </ActionPage>
  );
}
