import { Alert, App as AntApp, Button, Card, Input, Space, Table, Typography, Upload } from 'antd';
import { useRef, useState } from 'react';
import { ApiProblem, WriteKeys } from '../api.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { type AssemblyProblem, assemblePolicy, documentPath, type PolicyVersion } from '../policies.js';
import { problemsByField } from '../problem-fields.js';
import { useRouter } from '../router.js';
import { useApi } from '../session.js';

/** The server's field problems as rows: the document's own dotted names, messages in the server's order. */
function fieldRows(error: unknown): { field: string; messages: string[] }[] {
  if (!(error instanceof ApiProblem)) return [];
  const { fields, unplaced } = problemsByField(error.errors);
  return [
    ...fields.map((f) => ({ field: f.name.join('.'), messages: f.errors })),
    ...unplaced.map((u) => ({ field: documentPath(u.path), messages: [u.message] })),
  ];
}

export function PolicyDraftPage() {
  const { t } = useI18n();
  const api = useApi();
  const { navigate } = useRouter();
  const { message } = AntApp.useApp();
  const [text, setText] = useState('');
  const [loaded, setLoaded] = useState<string[]>([]);
  const [local, setLocal] = useState<AssemblyProblem | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const keys = useRef(new WriteKeys());

  const localMessage = (p: AssemblyProblem) => {
    const params: Record<string, string | number> =
      p.kind === 'json'
        ? { file: p.file, message: p.message }
        : p.kind === 'several-policies'
          ? { files: p.files.join(', ') }
          : p.kind === 'graph-missing'
            ? { file: p.file, graph: p.graph }
            : p.kind === 'too-large'
              ? { bytes: p.bytes }
              : {};
    return t(`policyDraft.problem.${p.kind}` as MessageKey, params);
  };

  /** Files chosen together are read at once and put into the text box as one document. */
  const read = async (files: File[]) => {
    const contents = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
    const assembled = assemblePolicy(contents);
    setProblem(null);
    if (!assembled.ok) {
      setLocal(assembled.problem);
      return;
    }
    setLocal(null);
    setLoaded(files.map((f) => f.name));
    setText(assembled.text);
  };

  const submit = async () => {
    setProblem(null);
    const assembled = assemblePolicy([{ name: t('policyDraft.document'), text }]);
    if (!assembled.ok) {
      setLocal(assembled.problem);
      return;
    }
    setLocal(null);
    setSending(true);
    try {
      const saved = await api.post<PolicyVersion>(
        '/policies',
        assembled.document,
        keys.current.keyFor('/policies', assembled.document),
      );
      message.success(t('policyDraft.saved', { version: saved.version }));
      navigate(`/policies/${encodeURIComponent(saved.version)}`);
    } catch (error) {
      setProblem(error);
    } finally {
      setSending(false);
    }
  };

  const rows = fieldRows(problem);
  return (
    <div data-testid="page-policy-draft">
      <Typography.Title level={2}>{t('policyDraft.title')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('policyDraft.help')}</Typography.Paragraph>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space>
            <Upload
              multiple
              accept=".json,application/json"
              showUploadList={false}
              beforeUpload={(_file, list) => {
                // Called once per file with the whole selection: read the selection once, from its last file.
                if (_file === list[list.length - 1]) void read(list as unknown as File[]);
                return false;
              }}
            >
              <Button data-testid="policy-draft-upload">{t('policyDraft.upload')}</Button>
            </Upload>
            {loaded.length > 0 ? (
              <Typography.Text type="secondary" data-testid="policy-draft-loaded">
                {t('policyDraft.loaded', { files: loaded.join(', ') })}
              </Typography.Text>
            ) : null}
          </Space>
          {local === null ? null : (
            <Alert type="error" showIcon message={localMessage(local)} data-testid="policy-draft-local" />
          )}
          <ProblemAlert error={problem} />
          {rows.length === 0 ? null : (
            <Table
              size="small"
              pagination={false}
              rowKey="field"
              dataSource={rows}
              title={() => t('policyDraft.fieldProblems')}
              data-testid="policy-draft-fields"
              columns={[
                {
                  title: t('policyDraft.field'),
                  dataIndex: 'field',
                  render: (f: string) => <code data-testid={`policy-field-${f}`}>{f}</code>,
                },
                {
                  title: t('policyDraft.problem'),
                  dataIndex: 'messages',
                  render: (m: string[]) => m.join('; '),
                },
              ]}
            />
          )}
          <Typography.Text strong>{t('policyDraft.document')}</Typography.Text>
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={18}
            spellCheck={false}
            style={{ fontFamily: 'monospace' }}
            data-testid="policy-draft-text"
          />
          <Button type="primary" onClick={submit} loading={sending} data-testid="policy-draft-submit">
            {t('policyDraft.submit')}
          </Button>
        </Space>
      </Card>
    </div>
  );
}
