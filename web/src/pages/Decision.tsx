import { Alert, Card, Descriptions, List, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Page } from '../api.js';
import { ApplicationCard } from '../components/ApplicationCard.js';
import { PersonDecisionCard } from '../components/PersonDecision.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { ValueList } from '../components/ValueList.js';
import { aprPercent, type DecisionDetail, type DecisionRequest, percent } from '../decisions.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { can } from '../permissions.js';
import { fenToYuan } from '../policies.js';
import { decidingReasonIndex, labelOf, reasonSourceLabel, reasonText } from '../reasons.js';
import { Link } from '../router.js';
import { useApi, useSession } from '../session.js';
import { OutcomeTag } from './Decisions.js';

const METHODS = ['equal-installment', 'equal-principal', 'interest-first', 'pay-any-time'];

export function DecisionPage({ decisionId }: { decisionId: string }) {
  const { t, money, dateTime, date, locale } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const [decision, setDecision] = useState<DecisionDetail | null>(null);
  const [requests, setRequests] = useState<DecisionRequest[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mayReview = me !== null && can(me.role, 'decisions.review');
  // The requests say whether an objection to a decline was overturned, which a person's decision needs.
  const mayReadRequests = me !== null && can(me.role, 'decisions.requests');

  useEffect(() => {
    let current = true;
    api.get<DecisionDetail>(`/decisions/${encodeURIComponent(decisionId)}`).then(
      (d) => current && setDecision(d),
      (e: unknown) => current && setError(e),
    );
    if (mayReadRequests) {
      api.get<Page<DecisionRequest>>('/decision-requests', { decisionId, limit: 50 }).then(
        (p) => current && setRequests(p.items),
        (e: unknown) => current && setError(e),
      );
    }
    return () => {
      current = false;
    };
  }, [api, decisionId, mayReadRequests]);

  if (error !== null) return <ProblemAlert error={error} />;
  if (decision === null) return <Spin />;
  const d = decision;
  const review = d.record?.review;
  const limitCap = fenToYuan(review?.limitCap_fen);
  const deciding = decidingReasonIndex(d);
  return (
    <div data-testid="page-decision">
      <Typography.Title level={2}>
        {t('decision.title')} {d.decisionId}
      </Typography.Title>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        {d.supersededBy ? (
          <Alert
            type="warning"
            showIcon
            data-testid="decision-superseded"
            message={t('decision.supersededBy')}
            description={
              <Link to={`/decisions/${encodeURIComponent(d.supersededBy)}`} testId="decision-superseded-by">
                {t('decision.supersededHelp', { decision: d.supersededBy })}
              </Link>
            }
          />
        ) : null}
        <Card>
          <Descriptions column={{ xs: 1, md: 2, xl: 3 }} bordered size="small">
            <Descriptions.Item label={t('decisions.outcome')}>
              <OutcomeTag outcome={d.outcome} />
            </Descriptions.Item>
            <Descriptions.Item label={t('decisions.decidedAt')}>{dateTime(d.decidedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('decision.application')}>{d.applicationId}</Descriptions.Item>
            <Descriptions.Item label={t('decisions.limit')}>
              {/* A decline offers no line: its limit is none, not ¥0.00. */}
              <span data-testid="decision-limit">
                {d.outcome === 'decline' ? t('common.none') : money(d.limit)}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('decisions.dailyRate')}>{percent(d.dailyRate)}</Descriptions.Item>
            <Descriptions.Item label={t('decisions.apr')}>{aprPercent(d.apr)}</Descriptions.Item>
            <Descriptions.Item label={t('decision.riskGrade')}>
              {d.riskGrade ?? t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('decision.score')}>
              {d.score?.value ?? t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('decision.customer')}>
              {d.customerId == null ? (
                t('common.none')
              ) : (
                <Link to={`/customers/${encodeURIComponent(d.customerId)}`}>{d.customerId}</Link>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('decision.policy')}>
              <span data-testid="decision-policy">
                {d.policy.policyId ?? ''} {d.policy.version ?? ''}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('decision.model')}>
              <span data-testid="decision-model">
                {d.model?.modelId ?? ''} {d.model?.version ?? ''}
              </span>
            </Descriptions.Item>
            {d.decidedBy ? (
              <>
                <Descriptions.Item label={t('decision.decidedBy')}>
                  <code data-testid="decision-decided-by">{d.decidedBy}</code>
                </Descriptions.Item>
                <Descriptions.Item label={t('decision.supersedes')}>
                  {d.supersedes ? (
                    <Link to={`/decisions/${encodeURIComponent(d.supersedes)}`} testId="decision-supersedes">
                      {d.supersedes}
                    </Link>
                  ) : (
                    t('common.none')
                  )}
                </Descriptions.Item>
                {limitCap === undefined ? null : (
                  <Descriptions.Item label={t('decision.limitCap')}>{money(limitCap)}</Descriptions.Item>
                )}
                <Descriptions.Item label={t('decision.reviewNote')}>
                  <span data-testid="decision-review-note">{review?.note ?? t('common.none')}</span>
                </Descriptions.Item>
              </>
            ) : null}
            <Descriptions.Item label={t('decision.contentHash')}>
              <Space>
                <code style={{ wordBreak: 'break-all' }}>{d.contentHash}</code>
                <Tag color={d.intact ? 'green' : 'red'} data-testid="decision-intact">
                  {t(d.intact ? 'decision.intact' : 'decision.tampered')}
                </Tag>
              </Space>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <ApplicationCard applicationId={d.applicationId} customerId={d.customerId ?? null} decision={d} />
        <Card title={t('decision.reasons')}>
          {deciding >= 0 ? (
            <Typography.Paragraph type="secondary">{t('decision.decidingHelp')}</Typography.Paragraph>
          ) : null}
          <Table
            rowKey={(r) => `${r.source}:${r.code}`}
            dataSource={d.reasons.map((r, index) => ({ ...r, index }))}
            pagination={false}
            size="small"
            data-testid="decision-reasons"
            rowClassName={(r) => (r.index === deciding ? 'deciding-reason' : '')}
            columns={[
              {
                title: t('decision.source'),
                dataIndex: 'source',
                width: 120,
                render: (s: string) => <Tag>{reasonSourceLabel(s, t)}</Tag>,
              },
              {
                title: t('decision.message'),
                dataIndex: 'message',
                render: (_: unknown, r) => (
                  <Space direction="vertical" size={2}>
                    <span>
                      {r.index === deciding ? (
                        <Tag color="red" data-testid="deciding-reason">
                          {t('decision.deciding')}
                        </Tag>
                      ) : null}
                      {reasonText(r, d, locale, t, money, aprPercent)}
                    </span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      <code>{r.code}</code>
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('decision.values'),
                dataIndex: 'values',
                width: 380,
                render: (v: unknown) => <ValueList values={v} testId="reason-values" />,
              },
            ]}
          />
        </Card>
        {d.termOptions !== undefined && d.termOptions.length > 0 ? (
          <Card title={t('decision.termOptions')}>
            <Table
              rowKey={(o) => `${o.months}-${o.method}`}
              dataSource={d.termOptions}
              pagination={false}
              size="small"
              columns={[
                { title: t('decision.months'), dataIndex: 'months' },
                {
                  title: t('decision.method'),
                  dataIndex: 'method',
                  render: (m: string) => (METHODS.includes(m) ? t(`method.${m}` as MessageKey) : m),
                },
                { title: t('decisions.apr'), dataIndex: 'apr', render: aprPercent },
                { title: t('decision.instalment'), dataIndex: 'instalment', render: (v: string) => money(v) },
              ]}
            />
          </Card>
        ) : null}
        <Card title={t('decision.flags')}>
          {d.flags.length === 0 ? (
            t('decision.noFlags')
          ) : (
            <List
              dataSource={d.flags}
              data-testid="decision-flags"
              renderItem={(f) => (
                <List.Item>
                  <Space direction="vertical">
                    <Space>
                      <Tag color="volcano">{t(`flag.${f.kind}` as MessageKey)}</Tag>
                      <Tag color={f.status === 'open' ? 'orange' : 'default'}>
                        {t(`flagStatus.${f.status}` as MessageKey)}
                      </Tag>
                      {locale === 'en' ? <span>{f.summary}</span> : null}
                    </Space>
                    <ValueList values={f.evidence} testId="flag-evidence" />
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
        <Card title={t('decision.blacklistHits')}>
          {(d.blacklistHits ?? []).length === 0 ? (
            t('decision.noBlacklistHits')
          ) : (
            <List
              dataSource={d.blacklistHits ?? []}
              data-testid="decision-blacklist"
              renderItem={(h) => (
                <List.Item>
                  <Space direction="vertical" size={2}>
                    <span data-testid="blacklist-explanation">
                      {locale === 'en'
                        ? String(h.explanation ?? '')
                        : t('decision.blacklistExplanation', {
                            subject: labelOf('blacklistSubject', String(h.subject ?? ''), t),
                            source: labelOf('blacklistSource', String(h.source ?? ''), t),
                            expiresAt:
                              h.expiresAt === undefined || h.expiresAt === null
                                ? '—'
                                : date(String(h.expiresAt).slice(0, 10)),
                            reason: String(h.reason ?? ''),
                            evidence: String(h.evidence ?? ''),
                          })}
                    </span>
                    <ValueList values={{ source: h.source, subject: h.subject, reason: h.reason }} />
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
        {mayReadRequests ? (
          <Card title={t('decision.requests')}>
            {requests === null || requests.length === 0 ? (
              t('decision.noRequests')
            ) : (
              <Table
                rowKey="requestId"
                dataSource={requests}
                pagination={false}
                size="small"
                columns={[
                  {
                    title: t('decision.requestKind'),
                    dataIndex: 'kind',
                    render: (k: string) => t(`requestKind.${k}` as MessageKey),
                  },
                  {
                    title: t('decision.receivedAt'),
                    dataIndex: 'receivedAt',
                    render: (v: string) => dateTime(v),
                  },
                  {
                    title: t('decision.requestStatus'),
                    dataIndex: 'status',
                    render: (s: string) => t(`requestStatus.${s}` as MessageKey),
                  },
                  {
                    title: t('decision.answer'),
                    dataIndex: 'answer',
                    render: (a: string | null) => a ?? t('common.none'),
                  },
                ]}
              />
            )}
          </Card>
        ) : null}
        {mayReview && requests !== null ? <PersonDecisionCard decision={d} requests={requests} /> : null}
        {d.intact ? null : <Alert type="error" showIcon message={t('decision.tamperedHelp')} />}
      </Space>
    </div>
  );
}
