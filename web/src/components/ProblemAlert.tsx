import { Alert } from 'antd';
import { ApiProblem } from '../api.js';
import { useI18n } from '../i18n.js';

/** Shows an error as the server put it (problem+json title and detail), or a network failure. */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  if (error instanceof ApiProblem) {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="problem"
        message={`${error.title} (${error.code})`}
        description={error.detail}
        style={{ marginBottom: 16 }}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      data-testid="problem"
      message={t('error.title')}
      description={t('error.network')}
      style={{ marginBottom: 16 }}
    />
  );
}
