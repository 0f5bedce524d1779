import {
  App as AntApp,
  Button,
  Card,
  Form,
  Input,
  Radio,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useState } from 'react';
import { ApiProblem, type Page } from '../api.js';
import { PagerBar } from '../components/PagerBar.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { usePaged } from '../components/usePaged.js';
import { ValueList } from '../components/ValueList.js';
import { FLAG_KINDS, type ReviewFlag } from '../decisions.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { can } from '../permissions.js';
import { problemsByField } from '../problem-fields.js';
import { useApi, useSession } from '../session.js';

/** Longest note the server keeps (src/server/origination/schemas.ts). */
const NOTE_LENGTH_MAX = 500;

interface ResolveValues {
  resolution?: 'cleared' | 'confirmed';
  note?: string;
}

function ResolveForm({ flag, onDone }: { flag: ReviewFlag; onDone: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ResolveValues>();
  const [problem, setProblem] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const submit = async (values: ResolveValues) => {
    setSending(true);
    setProblem(null);
    try {
      await api.post(`/review-queue/${encodeURIComponent(flag.flagId)}/resolve`, {
        resolution: values.resolution,
        note: values.note ?? '',
      });
      message.success(t('review.resolved'));
      onDone();
    } catch (error) {
      setProblem(error);
      if (error instanceof ApiProblem) {
        const { fields } = problemsByField(error.errors);
        form.setFields(fields.map((f) => ({ name: f.name as never, errors: f.errors })));
      }
    } finally {
      setSending(false);
    }
  };
  return (
    <div data-testid={`resolve-form-${flag.flagId}`} style={{ maxWidth: 880 }}>
      <ProblemAlert error={problem} />
      <Form<ResolveValues> form={form} layout="inline" onFinish={submit} style={{ rowGap: 8 }}>
        <Form.Item name="resolution" rules={[{ required: true, message: t('review.resolutionRequired') }]}>
          <Radio.Group data-testid="resolve-resolution">
            <Radio value="cleared">{t('resolution.cleared')}</Radio>
            <Radio value="confirmed">{t('resolution.confirmed')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="note"
          rules={[
            { required: true, whitespace: true, message: t('review.noteRequired') },
            { max: NOTE_LENGTH_MAX, message: t('review.noteTooLong', { n: NOTE_LENGTH_MAX }) },
          ]}
        >
          <Input placeholder={t('review.note')} style={{ width: 260 }} data-testid="resolve-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={sending} data-testid="resolve-submit">
          {t('review.resolve')}
        </Button>
      </Form>
    </div>
  );
}

export function ReviewQueuePage() {
  const { t, dateTime, locale } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const mayResolve = me !== null && can(me.role, 'review.resolve');
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const [kind, setKind] = useState<string | undefined>(undefined);
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: round re-reads the list after a resolution
  const load = useCallback(
    (cursor: string | undefined, limit: number) =>
      api.get<Page<ReviewFlag>>('/review-queue', { limit, cursor, status, kind }),
    [api, status, kind, round],
  );
  const paged = usePaged(load);
  const kindLabel = (k: string) =>
    (FLAG_KINDS as readonly string[]).includes(k) ? t(`flag.${k}` as MessageKey) : k;

  return (
    <div data-testid="page-review">
      <Typography.Title level={2}>{t('review.title')}</Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented<'open' | 'resolved'>
            value={status}
            onChange={setStatus}
            options={[
              { value: 'open', label: t('flagStatus.open') },
              { value: 'resolved', label: t('flagStatus.resolved') },
            ]}
            data-testid="review-status"
          />
          <Select
            allowClear
            placeholder={t('review.filterKind')}
            value={kind}
            onChange={(v: string | undefined) => setKind(v)}
            style={{ width: 240 }}
            options={FLAG_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
            data-testid="review-kind"
          />
        </Space>
        <ProblemAlert error={paged.error} />
        <Table<ReviewFlag>
          rowKey="flagId"
          loading={paged.loading}
          dataSource={paged.items}
          pagination={false}
          locale={{ emptyText: t('review.empty') }}
          data-testid="review-table"
          scroll={{ x: 'max-content' }}
          expandable={{
            expandedRowRender: (f) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                <ValueList values={f.evidence} testId="review-evidence" />
                {f.status === 'open' && mayResolve ? (
                  <ResolveForm flag={f} onDone={() => setRound((n) => n + 1)} />
                ) : null}
                {f.status === 'resolved' ? (
                  <span>
                    {t(`resolution.${f.resolution}` as MessageKey)} · {f.resolvedBy} ·{' '}
                    {f.resolvedAt ? dateTime(f.resolvedAt) : ''} · {f.note}
                  </span>
                ) : null}
              </Space>
            ),
            expandRowByClick: false,
          }}
          columns={[
            { title: t('review.raisedAt'), dataIndex: 'raisedAt', render: (v: string) => dateTime(v) },
            {
              title: t('review.flag'),
              dataIndex: 'flagId',
              render: (id: string) => <span data-testid={`flag-${id}`}>{id}</span>,
            },
            {
              title: t('review.kind'),
              dataIndex: 'kind',
              render: (k: string) => <Tag color="volcano">{kindLabel(k)}</Tag>,
            },
            {
              title: t('review.severity'),
              dataIndex: 'severity',
              render: (s: string) => t(`severity.${s}` as MessageKey),
            },
            {
              title: t('review.summary'),
              dataIndex: 'summary',
              width: 420,
              // The server's summary is English; in Chinese the flag's kind and what it saw say the same.
              render: (summary: string, f: ReviewFlag) =>
                locale === 'en' ? summary : <ValueList values={f.evidence} />,
            },
            { title: t('decision.application'), dataIndex: 'applicationId' },
          ]}
        />
        <PagerBar {...paged} />
      </Card>
    </div>
  );
}
