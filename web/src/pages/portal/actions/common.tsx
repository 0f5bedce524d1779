import { Alert, Button, Spin, Tag, type TagProps } from 'antd';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { type ApiClient, ApiProblem, WriteKeys } from '../../../api.js';
import { useRouter } from '../../../router.js';
import { useActionsText } from './text.js';

/**
 * A status tag whose words stay dark on its tinted ground: antd's preset colours write the words in the
 * colour itself (gold #d48806 on #fffbe6 is 2.75:1, green 3.4:1), under WCAG AA's 4.5:1 for small text.
 */
export function StatusTag({ style, ...props }: TagProps & { 'data-testid'?: string }) {
  return <Tag {...props} style={{ color: '#1f1f1f', ...style }} />;
}

/** The largest file the API keeps (decoded bytes). */
export const FILE_BYTES_MAX = 512 * 1024;

/** A refusal as the server words it (in the chosen language): its detail and each field's message. */
export function ProblemAlert({ error, testId = 'act-error' }: { error: unknown; testId?: string }) {
  const { tx } = useActionsText();
  if (error === null || error === undefined) return null;
  const problem = error instanceof ApiProblem ? error : null;
  // No answer at all (the connection failed): the same key goes with the retry, so it is safe to send again.
  const message = problem?.title ?? tx('act.network');
  const fields = problem?.errors ?? [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid={testId}
      style={{ marginBottom: 12 }}
      message={message}
      description={
        <div>
          {problem !== null && problem.detail !== problem.title ? <div>{problem.detail}</div> : null}
          {fields.length > 0 ? (
            <>
              <div>{tx('act.fieldsWrong')}</div>
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {fields.map((f) => (
                  <li key={`${f.path} ${f.message}`} data-field={f.path}>
                    {f.message}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      }
    />
  );
}

/**
 * One form's writes: each user action gets one idempotency key, kept while the same request is sent again
 * (a retry after a lost answer or a double tap), so the server acts once.
 */
export function useWrite() {
  const keys = useRef(new WriteKeys());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(path: string, body: unknown, send: (key: string) => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      return await send(keys.current.keyFor(path, body));
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, setError };
}

/** Loads one GET (again when `version` changes); shows a spinner or the refusal meanwhile. */
export function useLoad<T>(api: ApiClient, path: string, version = 0) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` asks for a reload
  useEffect(() => {
    let live = true;
    api.get<T>(path).then(
      (d) => live && setData(d),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, path, version]);
  return { data, error };
}

export function Loading({ error }: { error: unknown }) {
  return error !== null ? <ProblemAlert error={error} /> : <Spin data-testid="act-loading" />;
}

/** A file chosen on the phone, read as base64 for the API (which reads its type from its first bytes). */
export interface ChosenFile {
  name: string;
  contentBase64: string;
  bytes: number;
}

export function readFile(file: File): Promise<ChosenFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ name: file.name, contentBase64: url.slice(url.indexOf(',') + 1), bytes: file.size });
    };
    reader.onerror = () => reject(reader.error ?? new Error('file unreadable'));
    reader.readAsDataURL(file);
  });
}

/** A labelled file input; a file over the size limit is refused here with the reason. */
export function FileField({
  id,
  label,
  help,
  value,
  onChange,
  testId,
}: {
  id: string;
  label: string;
  help: string;
  value: ChosenFile | null;
  onChange: (file: ChosenFile | null) => void;
  testId: string;
}) {
  const { tx } = useActionsText();
  const [tooBig, setTooBig] = useState(false);
  return (
    <div style={{ marginBottom: 16 }}>
      <label htmlFor={id} style={{ display: 'block', marginBottom: 6 }}>
        {label}
      </label>
      <input
        id={id}
        type="file"
        accept="application/pdf,image/png,image/jpeg"
        data-testid={testId}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          setTooBig(false);
          if (file === undefined) {
            onChange(null);
            return;
          }
          if (file.size > FILE_BYTES_MAX) {
            setTooBig(true);
            onChange(null);
            return;
          }
          onChange(await readFile(file));
        }}
      />
      <div style={{ color: '#595959', fontSize: 13, marginTop: 4 }}>
        {value !== null ? tx('act.fileChosen', { name: value.name }) : help}
      </div>
      {tooBig ? (
        <div role="alert" style={{ color: '#cf1322' }}>
          {tx('act.fileTooBig')}
        </div>
      ) : null}
    </div>
  );
}

/** A page of the action pages: a back link and a title. */
export function ActionPage({
  title,
  back = '/portal/help',
  children,
}: {
  title: string;
  back?: string;
  children: ReactNode;
}) {
  const { tx } = useActionsText();
  const { navigate } = useRouter();
  // One column never wider than the phone: a wide table scrolls inside its card, long ids wrap.
  return (
    <div
      style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)', overflowWrap: 'anywhere' }}
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <Button size="small" onClick={() => navigate(back)} data-testid="act-back">
          {tx('act.back')}
        </Button>
        <h2 style={{ margin: 0, fontSize: 18, flex: 1 }}>{title}</h2>
      </div>
      {children}
    </div>
  );
}
