import { Alert, Button, type FormInstance, Space } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiProblem } from '../api.js';
import type { Loan } from '../ledger.js';
import { problemsByField } from '../problem-fields.js';
import { useApi } from '../session.js';

/**
 * What the forms and lists of loan changes that may wait for a second person (restructurings, settlement
 * offers) share: sending a proposal with the server's refusals shown under their fields, the line saying what
 * became of it, and a loan's proposals with their approve and reject buttons.
 */

export interface Outcome {
  type: 'success' | 'info';
  text: string;
}

/** Sends a form's proposal: busy while it runs, the refusal kept (and put under its fields), the form reset after. */
export function useProposalSubmit<V>(form: FormInstance<V>) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [done, setDone] = useState<Outcome | null>(null);
  const run = async <R,>(
    send: () => Promise<R>,
    outcome: (result: R) => Outcome,
    after: (result: R) => void,
  ) => {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      const result = await send();
      setDone(outcome(result));
      form.resetFields();
      after(result);
    } catch (e) {
      setProblem(e);
      if (e instanceof ApiProblem) {
        const { fields } = problemsByField(e.errors);
        form.setFields(fields as Parameters<typeof form.setFields>[0]);
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, done, run };
}

/** What became of the last proposal: made at once, or waiting for a second person. */
export function OutcomeAlert({ done, testId }: { done: Outcome | null; testId: string }) {
  if (done === null) return null;
  return (
    <Alert type={done.type} showIcon message={done.text} style={{ marginBottom: 16 }} data-testid={testId} />
  );
}

/**
 * A loan's proposals under `path` (`/loans/{id}/restructurings`, …), loaded again after each decision; a
 * decision's answer carries the loan after it when the change was applied.
 */
export function useProposals<T>(path: string, onDecided: (after: Loan | null) => void) {
  const api = useApi();
  const [items, setItems] = useState<T[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const load = useCallback(() => {
    api.get<{ items: T[] }>(path).then((r) => setItems(r.items), setProblem);
  }, [api, path]);
  useEffect(load, [load]);
  const act = async (id: string, action: string, body: object = {}) => {
    setProblem(null);
    try {
      const result = await api.post<{ loan?: unknown }>(`${path}/${encodeURIComponent(id)}/${action}`, body);
      load();
      return result;
    } catch (e) {
      setProblem(e);
      return undefined;
    }
  };
  const decide = async (id: string, action: 'approve' | 'reject') => {
    const result = await act(id, action);
    if (result !== undefined) onDecided((result.loan as Loan | undefined) ?? null);
  };
  return { items, problem, decide, act };
}

/** Approve and reject buttons of a pending proposal, for a second person. */
export function DecisionButtons({
  testIdPrefix,
  approveLabel,
  rejectLabel,
  onDecide,
}: {
  testIdPrefix: string;
  approveLabel: string;
  rejectLabel: string;
  onDecide: (action: 'approve' | 'reject') => void;
}) {
  return (
    <Space>
      <Button
        size="small"
        type="primary"
        onClick={() => onDecide('approve')}
        data-testid={`${testIdPrefix}-approve`}
      >
        {approveLabel}
      </Button>
      <Button size="small" onClick={() => onDecide('reject')} data-testid={`${testIdPrefix}-reject`}>
        {rejectLabel}
      </Button>
    </Space>
  );
}
