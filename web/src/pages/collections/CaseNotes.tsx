import { Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  CASE_DOCUMENT_BYTES_MAX,
  type CaseDocument,
  type CaseNote,
  DOCUMENT_KINDS,
  NOTE_CATEGORIES,
} from '../../collections.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';

interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  download(path: string): Promise<Blob>;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('file unreadable'));
    reader.readAsDataURL(file);
  });
}

/** A case's notes (催记): the list, oldest first, and a form to add one (or a correction of one). */
export function NotesPanel({ caseId, api, mayWrite }: { caseId: string; api: Api; mayWrite: boolean }) {
  const { t, dateTime } = useI18n();
  const base = `/collections/cases/${encodeURIComponent(caseId)}/notes`;
  const [notes, setNotes] = useState<CaseNote[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const [form] = Form.useForm<{ text: string; category: string; correctsNoteId?: string }>();
  const load = useCallback(() => {
    api.get<{ items: CaseNote[] }>(base).then((r) => setNotes(r.items), setProblem);
  }, [api, base]);
  useEffect(load, [load]);
  const submit = async (v: { text: string; category: string; correctsNoteId?: string }) => {
    setSending(true);
    setProblem(null);
    try {
      await api.post(base, {
        text: v.text,
        category: v.category,
        ...(v.correctsNoteId === undefined ? {} : { correctsNoteId: v.correctsNoteId }),
      });
      form.resetFields(['text', 'correctsNoteId']);
      load();
    } catch (error) {
      setProblem(error);
    } finally {
      setSending(false);
    }
  };
  return (
    <Card title={t('caseNotes.title')} size="small" data-testid="case-notes">
      <ProblemAlert error={problem} />
      {mayWrite && notes !== null ? (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ category: 'call-summary' }}
          onFinish={submit}
          data-testid="note-form"
        >
          <Form.Item
            name="text"
            label={t('caseNotes.text')}
            rules={[
              { required: true, whitespace: true, message: t('caseNotes.textRequired') },
              { max: 2000, message: t('caseNotes.textTooLong') },
            ]}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount data-testid="note-text" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="category" label={t('caseNotes.category')}>
              <Select
                style={{ width: 180 }}
                data-testid="note-category"
                options={NOTE_CATEGORIES.map((c) => ({
                  value: c,
                  label: t(`noteCategory.${c}` as MessageKey),
                }))}
              />
            </Form.Item>
            <Form.Item name="correctsNoteId" label={t('caseNotes.corrects')}>
              <Select
                allowClear
                style={{ width: 260 }}
                placeholder={t('caseNotes.correctsNone')}
                data-testid="note-corrects"
                options={notes.map((n) => ({
                  value: n.noteId,
                  label: `${dateTime(n.at)} · ${n.text.slice(0, 24)}`,
                }))}
              />
            </Form.Item>
          </Space>
          <Button type="primary" htmlType="submit" loading={sending} data-testid="note-submit">
            {t('caseNotes.add')}
          </Button>
        </Form>
      ) : null}
      <Table<CaseNote>
        rowKey="noteId"
        dataSource={notes ?? []}
        loading={notes === null && problem === null}
        pagination={false}
        size="small"
        style={{ marginTop: 12 }}
        locale={{ emptyText: t('caseNotes.empty') }}
        data-testid="case-notes-list"
        columns={[
          { title: t('case.at'), dataIndex: 'at', render: (v: string) => dateTime(v) },
          {
            title: t('caseNotes.category'),
            dataIndex: 'category',
            render: (c: string) => <Tag>{t(`noteCategory.${c}` as MessageKey)}</Tag>,
          },
          {
            title: t('caseNotes.text'),
            dataIndex: 'text',
            render: (text: string, n) => (
              <>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                  {text}
                </Typography.Paragraph>
                {n.correctsNoteId === null ? null : (
                  <Typography.Text type="secondary">
                    {t('caseNotes.correctionOf', { noteId: n.correctsNoteId })}
                  </Typography.Text>
                )}
              </>
            ),
          },
          { title: t('caseNotes.author'), dataIndex: 'author' },
        ]}
      />
    </Card>
  );
}

/** A case's documents: the list with downloads, and an upload (PDF, PNG or JPEG). */
export function DocumentsPanel({ caseId, api, mayWrite }: { caseId: string; api: Api; mayWrite: boolean }) {
  const { t, dateTime } = useI18n();
  const base = `/collections/cases/${encodeURIComponent(caseId)}/documents`;
  const [documents, setDocuments] = useState<CaseDocument[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [kind, setKind] = useState<string>('income-proof');
  const [file, setFile] = useState<File | null>(null);
  const [tooBig, setTooBig] = useState(false);
  const [sending, setSending] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  const load = useCallback(() => {
    api.get<{ items: CaseDocument[] }>(base).then((r) => setDocuments(r.items), setProblem);
  }, [api, base]);
  useEffect(load, [load]);
  const upload = async () => {
    if (file === null) return;
    setSending(true);
    setProblem(null);
    try {
      await api.post(base, { kind, fileName: file.name, contentBase64: await readBase64(file) });
      setFile(null);
      setInputKey((k) => k + 1);
      load();
    } catch (error) {
      setProblem(error);
    } finally {
      setSending(false);
    }
  };
  const download = async (d: CaseDocument) => {
    setProblem(null);
    try {
      const blob = await api.download(`${base}/${encodeURIComponent(d.documentId)}`);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = d.fileName;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <Card title={t('caseDocuments.title')} size="small" data-testid="case-documents">
      <ProblemAlert error={problem} />
      {mayWrite && documents !== null ? (
        <Space wrap align="center" data-testid="document-form">
          <Select
            value={kind}
            onChange={setKind}
            style={{ width: 180 }}
            aria-label={t('caseDocuments.kind')}
            data-testid="document-kind"
            options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`documentKind.${k}` as MessageKey) }))}
          />
          <input
            key={inputKey}
            type="file"
            accept="application/pdf,image/png,image/jpeg"
            aria-label={t('caseDocuments.file')}
            data-testid="document-file"
            onChange={(e) => {
              const chosen = e.target.files?.[0] ?? null;
              const over = chosen !== null && chosen.size > CASE_DOCUMENT_BYTES_MAX;
              setTooBig(over);
              setFile(over ? null : chosen);
            }}
          />
          <Button
            type="primary"
            disabled={file === null}
            loading={sending}
            onClick={upload}
            data-testid="document-submit"
          >
            {t('caseDocuments.upload')}
          </Button>
          <Typography.Text type={tooBig ? 'danger' : 'secondary'} data-testid="document-help">
            {tooBig ? t('caseDocuments.tooBig') : t('caseDocuments.help')}
          </Typography.Text>
        </Space>
      ) : null}
      <Table<CaseDocument>
        rowKey="documentId"
        dataSource={documents ?? []}
        loading={documents === null && problem === null}
        pagination={false}
        size="small"
        style={{ marginTop: 12 }}
        locale={{ emptyText: t('caseDocuments.empty') }}
        data-testid="case-documents-list"
        columns={[
          { title: t('case.at'), dataIndex: 'at', render: (v: string) => dateTime(v) },
          {
            title: t('caseDocuments.kind'),
            dataIndex: 'kind',
            render: (k: string) => <Tag>{t(`documentKind.${k}` as MessageKey)}</Tag>,
          },
          {
            title: t('caseDocuments.fileName'),
            dataIndex: 'fileName',
            render: (name: string, d) => (
              <Button type="link" size="small" onClick={() => download(d)} data-testid="document-download">
                {name}
              </Button>
            ),
          },
          {
            title: t('caseDocuments.size'),
            dataIndex: 'sizeBytes',
            render: (n: number) =>
              n < 1024
                ? t('caseDocuments.bytes', { bytes: n })
                : t('caseDocuments.kib', { kib: (n / 1024).toFixed(1) }),
          },
          { title: t('caseDocuments.uploadedBy'), dataIndex: 'uploadedBy' },
          {
            title: 'SHA-256',
            dataIndex: 'sha256',
            render: (h: string) => <Typography.Text code>{h.slice(0, 12)}</Typography.Text>,
          },
        ]}
      />
    </Card>
  );
}
