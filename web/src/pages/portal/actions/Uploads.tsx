import { Alert, Button, Card, Descriptions, Empty, Input, List, Tag } from 'antd';
import { useState } from 'react';
import type { ApiClient } from '../../../api.js';
import {
  ActionPage,
  type ChosenFile,
  FileField,
  Loading,
  ProblemAlert,
  useLoad,
  useWrite,
} from './common.js';
import { Field } from './Hardship.js';
import { useActionsText } from './text.js';

interface ReviewRequest {
  requestId: string;
  document: string;
  requestDate: string;
  dueDate: string;
  status: string;
}

interface Upload {
  uploadId: string;
  reviewRequestId: string;
  document: string;
  fileName: string;
  fileBytes: number;
  receivedDate: string;
}

/** One open request of a health review, with a form to send the document it asks for. */
function ReviewRequestCard({
  api,
  request,
  onSent,
}: {
  api: ApiClient;
  request: ReviewRequest;
  onSent: (name: string) => void;
}) {
  const { tx, word, date } = useActionsText();
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const write = useWrite();
  const send = async () => {
    if (file === null) {
      setMissing(true);
      return;
    }
    setMissing(false);
    const path = `/portal/health-reviews/${request.requestId}/uploads`;
    const body = {
      file: { name: file.name, contentBase64: file.contentBase64 },
      ...(note.trim() === '' ? {} : { note: note.trim() }),
    };
    const done = await write.run(path, body, (key) => api.post<Upload>(path, body, key));
    if (done !== undefined) onSent(done.fileName);
  };
  const id = request.requestId;
  return (
    <Card size="small" data-testid="act-review-request">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={tx('act.document')}>{request.document}</Descriptions.Item>
        <Descriptions.Item label={tx('act.requestDate')}>{date(request.requestDate)}</Descriptions.Item>
        <Descriptions.Item label={tx('act.reviewDue')}>{date(request.dueDate)}</Descriptions.Item>
        <Descriptions.Item label={tx('act.status')}>
          <Tag>{word('act.reviewStatus', request.status)}</Tag>
        </Descriptions.Item>
      </Descriptions>
      {request.status === 'open' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <FileField
            id={`act-upload-${id}`}
            label={tx('act.uploadFile')}
            help={tx('act.fileHelp')}
            value={file}
            onChange={setFile}
            testId="act-upload-file"
          />
          <Field id={`act-note-${id}`} label={tx('act.note')}>
            <Input
              id={`act-note-${id}`}
              maxLength={500}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </Field>
          {missing ? <Alert type="error" role="alert" message={tx('act.fileMissing')} /> : null}
          <ProblemAlert error={write.error} />
          <Button type="primary" htmlType="submit" block loading={write.busy} data-testid="act-upload">
            {tx('act.upload')}
          </Button>
        </form>
      ) : null}
    </Card>
  );
}

/** What the lender's health reviews ask the borrower for, and what they sent. */
export function UploadsPage({ api }: { api: ApiClient }) {
  const { tx, date } = useActionsText();
  const [version, setVersion] = useState(0);
  const [sent, setSent] = useState<string | null>(null);
  const { data, error } = useLoad<{ requests: ReviewRequest[]; uploads: Upload[] }>(
    api,
    '/portal/health-reviews',
    version,
  );
  return (
    <ActionPage title={tx('act.uploads')}>
      {sent !== null ? (
        <Alert
          type="success"
          showIcon
          message={tx('act.uploaded', { name: sent })}
          data-testid="act-uploaded"
        />
      ) : null}
      {data === null ? <Loading error={error} /> : null}
      {data?.requests.length === 0 ? <Empty description={tx('act.noReviewRequests')} /> : null}
      {data?.requests.map((r) => (
        <ReviewRequestCard
          key={r.requestId}
          api={api}
          request={r}
          onSent={(name) => {
            setSent(name);
            setVersion((v) => v + 1);
          }}
        />
      ))}
      {data !== null && data.uploads.length > 0 ? (
        <Card size="small" title={tx('act.uploadsSent')}>
          <List
            size="small"
            dataSource={data.uploads}
            renderItem={(u) => (
              <List.Item key={u.uploadId} data-testid="act-upload-item">
                {u.fileName} · {u.document} · {date(u.receivedDate)}
              </List.Item>
            )}
          />
        </Card>
      ) : null}
    </ActionPage>
  );
}
