import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Collapse,
  Descriptions,
  Form,
  Input,
  Modal,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { WriteKeys } from '../api.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { aprPercent } from '../decisions.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { can } from '../permissions.js';
import {
  fenToYuan,
  type GraphSummary,
  POLICY_ACTIONS,
  POLICY_GRAPH_NAMES,
  POLICY_NOTE_LENGTH_MAX,
  type PolicyVersion,
  policyActions,
  summarizePolicy,
  type TableSummary,
} from '../policies.js';
import { useApi, useSession } from '../session.js';
import { PolicyStatusTag, UserCell } from './Policies.js';

type Action = 'approve' | 'publish' | 'rollback';

const KNOWN_SETTINGS = [
  'productId',
  'aprCap',
  'termOptions_months',
  'invitationRequired',
  'businessStatementsAbove_fen',
  'incomeMultipleMax',
  'limitStep_fen',
  'limitMin_fen',
  'limitMax_fen',
  'reasonCount',
];

function useSettingValue() {
  const { t, money } = useI18n();
  return (key: string, value: unknown): string => {
    if (key.endsWith('_fen')) {
      const yuan = fenToYuan(value);
      if (yuan !== undefined) return money(yuan);
    }
    if (key === 'aprCap' && typeof value === 'string') return aprPercent(value);
    if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
    if (Array.isArray(value)) return value.map(String).join(', ');
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
}

/** Known settings in the order an analyst reads them, then any others as the document has them. */
const settingOrder = (key: string) => {
  const i = KNOWN_SETTINGS.indexOf(key);
  return i === -1 ? KNOWN_SETTINGS.length : i;
};

function settingLabel(key: string, t: (k: MessageKey) => string) {
  return KNOWN_SETTINGS.includes(key) ? (
    <span title={key}>{t(`setting.${key}` as MessageKey)}</span>
  ) : (
    <code>{key}</code>
  );
}

function DecisionTable({ table }: { table: TableSummary }) {
  const { t } = useI18n();
  const hit = ['first', 'collect'].includes(table.hitPolicy)
    ? t(`policy.hitPolicy.${table.hitPolicy}` as MessageKey)
    : table.hitPolicy;
  const column = (c: TableSummary['inputs'][number], output: boolean) => ({
    key: c.id,
    title: (
      <span title={c.field}>
        {output ? '→ ' : ''}
        {c.name || c.field}
      </span>
    ),
    render: (_: unknown, r: TableSummary['rules'][number]) => {
      const cell = r.cells[c.id] ?? '';
      return cell === '' ? <Typography.Text type="secondary">–</Typography.Text> : <code>{cell}</code>;
    },
  });
  return (
    <div style={{ marginBottom: 16 }}>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text strong>{table.name}</Typography.Text>
        <Typography.Text type="secondary">{t('policy.hitPolicy', { hitPolicy: hit })}</Typography.Text>
      </Space>
      <Table
        size="small"
        pagination={false}
        rowKey="id"
        dataSource={table.rules}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: '_id', title: t('policy.rule'), render: (_: unknown, r) => <code>{r.id}</code> },
          ...table.inputs.map((c) => column(c, false)),
          ...table.outputs.map((c) => column(c, true)),
        ]}
      />
    </div>
  );
}

function graphLabel(name: string, t: (k: MessageKey) => string) {
  return (POLICY_GRAPH_NAMES as readonly string[]).includes(name) ? t(`graph.${name}` as MessageKey) : name;
}

/** The document in words: settings, thresholds, and each graph's tables with their rules. */
function PolicySummaryView({ document }: { document: Record<string, unknown> }) {
  const { t } = useI18n();
  const value = useSettingValue();
  const s = summarizePolicy(document);
  const rules = (g: GraphSummary) => g.tables.reduce((n, table) => n + table.rules.length, 0);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="policy-summary">
      {s.description === '' ? null : (
        <Typography.Paragraph data-testid="policy-description">{s.description}</Typography.Paragraph>
      )}
      <Descriptions
        title={t('policy.settings')}
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        data-testid="policy-settings"
      >
        {Object.entries(s.settings)
          .sort(([a], [b]) => settingOrder(a) - settingOrder(b))
          .map(([k, v]) => (
            <Descriptions.Item key={k} label={settingLabel(k, t)}>
              {value(k, v)}
            </Descriptions.Item>
          ))}
      </Descriptions>
      <Descriptions title={t('policy.fraud')} bordered size="small" column={{ xs: 1, md: 3 }}>
        {Object.entries(s.fraud).map(([k, v]) => (
          <Descriptions.Item key={k} label={<code>{k}</code>}>
            {value(k, v)}
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Descriptions title={t('policy.challenger')} bordered size="small" column={{ xs: 1, md: 3 }}>
        {Object.entries(s.challenger).map(([k, v]) => (
          <Descriptions.Item key={k} label={<code>{k}</code>}>
            {value(k, v)}
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Typography.Title level={5}>{t('policy.graphs')}</Typography.Title>
      <Collapse
        data-testid="policy-graphs"
        items={s.graphs.map((g) => ({
          key: g.name,
          label: (
            <Space data-testid={`policy-graph-${g.name}`}>
              <span>{graphLabel(g.name, t)}</span>
              <code>{g.name}</code>
              <Typography.Text type="secondary">
                {t('policy.graphCounts', { tables: g.tables.length, rules: rules(g) })}
              </Typography.Text>
            </Space>
          ),
          children: g.tables.map((table) => <DecisionTable key={table.name} table={table} />),
        }))}
      />
    </Space>
  );
}

/** Approve, publish or roll back after a confirmation with an optional note; the server's refusal stays shown. */
function ActionModal({
  policy,
  action,
  onClose,
  onDone,
}: {
  policy: PolicyVersion;
  action: Action;
  onClose: () => void;
  onDone: (after: PolicyVersion) => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<{ note?: string }>();
  const [problem, setProblem] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const keys = useRef(new WriteKeys());
  const send = async () => {
    const { note } = await form.validateFields();
    setSending(true);
    setProblem(null);
    try {
      const trimmed = note?.trim() ?? '';
      const path = `/policies/${encodeURIComponent(policy.version)}/${action}`;
      const body = trimmed === '' ? {} : { note: trimmed };
      const after = await api.post<PolicyVersion>(path, body, keys.current.keyFor(path, body));
      onDone(after);
    } catch (error) {
      setProblem(error);
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal
      open
      title={t(`policy.${action}` as MessageKey)}
      onOk={send}
      onCancel={onClose}
      confirmLoading={sending}
      okText={t(`policy.${action}` as MessageKey)}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'policy-action-ok' } as never}
    >
      <div data-testid="policy-action-modal">
        <Typography.Paragraph>
          {t(`policy.confirm.${action}` as MessageKey, {
            version: policy.version,
            product: policy.productId,
          })}
        </Typography.Paragraph>
        <ProblemAlert error={problem} />
        <Form form={form} layout="vertical">
          <Form.Item
            name="note"
            label={t('policy.note')}
            rules={[
              {
                max: POLICY_NOTE_LENGTH_MAX,
                message: t('review.noteTooLong', { n: POLICY_NOTE_LENGTH_MAX }),
              },
            ]}
          >
            <Input.TextArea rows={3} data-testid="policy-action-note" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

export function PolicyPage({ version }: { version: string }) {
  const { t, dateTime } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [policy, setPolicy] = useState<PolicyVersion | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [round, setRound] = useState(0);
  const mayAct = me !== null && can(me.role, 'policies.approve');

  // biome-ignore lint/correctness/useExhaustiveDependencies: round re-reads the version after an action
  useEffect(() => {
    let current = true;
    api.get<PolicyVersion>(`/policies/${encodeURIComponent(version)}`).then(
      (p) => current && setPolicy(p),
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [api, version, round]);

  const done = useCallback(
    (taken: Action, after: PolicyVersion) => {
      setAction(null);
      const restored = after.version === version ? t('policy.shippedPack') : after.version;
      message.success(t(`policy.done.${taken}` as MessageKey, { version, restored }));
      setRound((n) => n + 1);
    },
    [message, t, version],
  );

  if (error !== null) return <ProblemAlert error={error} />;
  if (policy === null) return <Spin />;
  const p = policy;
  const when = (v: string | null | undefined) => (v == null ? t('common.none') : dateTime(v));
  const actions = policyActions(p.status);
  const trailAction = (a: string) =>
    (POLICY_ACTIONS as readonly string[]).includes(a) ? t(`policyAction.${a}` as MessageKey) : a;

  return (
    <div data-testid="page-policy">
      <Typography.Title level={2}>
        {t('policy.title')} {p.version}
      </Typography.Title>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card>
          <Descriptions column={{ xs: 1, md: 2, xl: 3 }} bordered size="small">
            <Descriptions.Item label={t('policy.status')}>
              <Space>
                <PolicyStatusTag status={p.status} />
                {p.inForce ? (
                  <Tag color="green" data-testid="policy-in-force">
                    {t('policies.inForce')}
                  </Tag>
                ) : null}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.product')}>{p.productId}</Descriptions.Item>
            <Descriptions.Item label={t('policy.policyId')}>{p.policyId}</Descriptions.Item>
            <Descriptions.Item label={t('policy.createdBy')}>
              <span data-testid="policy-author">
                <UserCell userId={p.createdBy} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.createdAt')}>{when(p.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('policy.approvedBy')}>
              <span data-testid="policy-approver">
                <UserCell userId={p.approvedBy} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.approvedAt')}>{when(p.approvedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('policy.publishedBy')}>
              <UserCell userId={p.publishedBy} />
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.publishedAt')}>{when(p.publishedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('policy.retiredAt')}>{when(p.retiredAt)}</Descriptions.Item>
            <Descriptions.Item label={t('policy.rolledBackAt')}>{when(p.rolledBackAt)}</Descriptions.Item>
            <Descriptions.Item label={t('policy.documentHash')}>
              <code style={{ wordBreak: 'break-all' }}>{p.documentHash}</code>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        {mayAct ? (
          <Card title={t('policy.actions')} data-testid="policy-actions">
            {actions.length === 0 ? (
              t('policy.noActions', { status: t(`policyStatus.${p.status}` as MessageKey) })
            ) : (
              <Space direction="vertical">
                {p.status === 'draft' && p.createdBy === me?.userId ? (
                  <Alert
                    type="info"
                    showIcon
                    message={t('policy.authorHint')}
                    data-testid="policy-author-hint"
                  />
                ) : null}
                <Space>
                  {actions.map((a) => (
                    <Button
                      key={a}
                      type="primary"
                      danger={a === 'rollback'}
                      onClick={() => setAction(a)}
                      data-testid={`policy-${a}`}
                    >
                      {t(`policy.${a}` as MessageKey)}
                    </Button>
                  ))}
                </Space>
              </Space>
            )}
          </Card>
        ) : null}
        <Card title={t('policy.trail')}>
          <Table
            rowKey={(e) => `${e.occurredAt}:${e.action}:${e.actorUserId}`}
            dataSource={p.trail ?? []}
            pagination={false}
            size="small"
            data-testid="policy-trail"
            columns={[
              {
                title: t('policy.trailAction'),
                dataIndex: 'action',
                render: (a: string) => <Tag data-testid={`trail-${a}`}>{trailAction(a)}</Tag>,
              },
              {
                title: t('policy.trailActor'),
                dataIndex: 'actorUserId',
                render: (u: string) => <UserCell userId={u} />,
              },
              { title: t('policy.trailAt'), dataIndex: 'occurredAt', render: (v: string) => dateTime(v) },
              {
                title: t('policy.trailNote'),
                dataIndex: 'note',
                render: (n: string | null) => n ?? t('common.none'),
              },
            ]}
          />
        </Card>
        {p.document === undefined ? null : (
          <Card title={t('policy.summary')}>
            <PolicySummaryView document={p.document} />
            <Collapse
              style={{ marginTop: 16 }}
              data-testid="policy-raw"
              items={[
                {
                  key: 'raw',
                  label: t('policy.rawJson'),
                  children: (
                    <pre style={{ maxHeight: 480, overflow: 'auto', margin: 0 }} data-testid="policy-json">
                      {JSON.stringify(p.document, null, 2)}
                    </pre>
                  ),
                },
              ]}
            />
          </Card>
        )}
      </Space>
      {action === null ? null : (
        <ActionModal
          policy={p}
          action={action}
          onClose={() => setAction(null)}
          onDone={(after) => done(action, after)}
        />
      )}
    </div>
  );
}
