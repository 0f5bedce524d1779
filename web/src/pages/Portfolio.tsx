import { Alert, Card, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { EChart } from '../components/EChart.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { bucketChartOption } from '../data/bucket-chart.js';
import { type BucketShare, completeBuckets, loadPortfolio, type PortfolioView } from '../data/portfolio.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { useApi } from '../session.js';

export function PortfolioPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const [view, setView] = useState<PortfolioView | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    loadPortfolio(api).then(setView, setError);
  }, [api]);

  const shares: BucketShare[] = useMemo(
    () => completeBuckets(view?.state === 'ready' ? view.buckets : []),
    [view],
  );
  const option = useMemo(
    () =>
      bucketChartOption(shares, {
        bucketLabel: (b) => t(`bucket.${b}` as MessageKey),
        axisName: t('portfolio.bucketsAxis'),
        money: i18n.money,
        count: i18n.count,
        loansLabel: t('portfolio.loans'),
        emptyText: t('portfolio.empty'),
      }),
    [shares, t, i18n.money, i18n.count],
  );

  return (
    <div data-testid="page-portfolio">
      <Typography.Title level={2}>{t('portfolio.title')}</Typography.Title>
      <ProblemAlert error={error} />
      {view === null && error === null ? <Spin /> : null}
      {view?.state === 'empty' ? (
        <Alert
          type="info"
          showIcon
          data-testid="portfolio-empty"
          message={t('portfolio.empty')}
          description={t('portfolio.emptyDetail')}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Card title={t('portfolio.buckets')}>
        <EChart option={option} height={360} testId="bucket-chart" />
      </Card>
    </div>
  );
}
