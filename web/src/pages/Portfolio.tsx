import { Alert, Card, Col, Row, Spin, Statistic, Table, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { EChart } from '../components/EChart.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { bucketChartOption } from '../data/bucket-chart.js';
import {
  type BucketShare,
  completeBuckets,
  formatShare,
  loadPortfolio,
  loansLink,
  monthRange,
  type PortfolioView,
  type ProductFigures,
  type TrendPoint,
} from '../data/portfolio.js';
import { trendChartOption } from '../data/trend-chart.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { Link, useRouter } from '../router.js';
import { useApi } from '../session.js';

/** A headline figure that opens the loans behind it. */
function Figure(props: { title: string; value: string; to: string; testId: string; extra?: ReactNode }) {
  return (
    <Card size="small">
      <Statistic title={props.title} value={props.value} />
      <Link to={props.to} testId={props.testId}>
        {props.extra}
      </Link>
    </Card>
  );
}

export function PortfolioPage() {
  const i18n = useI18n();
  const { t, money, count, date } = i18n;
  const api = useApi();
  const { navigate } = useRouter();
  const [view, setView] = useState<PortfolioView | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    loadPortfolio(api).then(setView, setError);
  }, [api]);

  const shares: BucketShare[] = useMemo(() => completeBuckets(view?.summary.buckets ?? []), [view]);
  const bucketOption = useMemo(
    () =>
      bucketChartOption(shares, {
        bucketLabel: (b) => t(`bucket.${b}` as MessageKey),
        axisName: t('portfolio.bucketsAxis'),
        money,
        count,
        loansLabel: t('portfolio.loans'),
        emptyText: t('portfolio.empty'),
      }),
    [shares, t, money, count],
  );
  const points: TrendPoint[] = view?.state === 'ready' ? view.trend.points : [];
  const trendOption = useMemo(
    () =>
      trendChartOption(points, {
        outstanding: t('portfolio.trendOutstanding'),
        overdue: t('portfolio.trendOverdue'),
        drawn: t('portfolio.trendDrawn'),
        money,
        count,
        month: (p) => `${p.month} (${t('portfolio.monthEnd')} ${date(p.date)})`,
      }),
    [points, t, money, count, date],
  );
  const openBucket = useCallback(
    (index: number) => {
      const share = shares[index];
      if (share !== undefined) navigate(loansLink({ bucket: share.bucket, status: 'active' }));
    },
    [shares, navigate],
  );
  const openMonth = useCallback(
    (index: number) => {
      const p = points[index];
      if (p !== undefined) navigate(loansLink(monthRange(p.month, p.date)));
    },
    [points, navigate],
  );

  const summary = view?.summary;
  const more = t('portfolio.viewLoans');
  return (
    <div data-testid="page-portfolio">
      <Typography.Title level={2}>{t('portfolio.title')}</Typography.Title>
      <ProblemAlert error={error} />
      {view === null && error === null ? (
        // Nothing is drawn until the figures arrive: an empty book and a book still loading look different.
        <Card data-testid="portfolio-loading">
          <Spin tip={t('portfolio.loading')}>
            <div style={{ height: 120 }} />
          </Spin>
        </Card>
      ) : null}
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
      {summary !== undefined ? (
        <>
          <Typography.Paragraph type="secondary" data-testid="portfolio-as-of">
            {t('portfolio.asOf', { date: date(summary.asOf) })}
          </Typography.Paragraph>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} md={12} xl={6}>
              <Figure
                title={t('portfolio.outstanding')}
                value={money(summary.outstandingPrincipal)}
                to={loansLink({ status: 'active', sort: 'outstandingPrincipal', order: 'desc' })}
                testId="figure-outstanding"
                extra={`${t('portfolio.loans')} ${count(summary.loans)} · ${more}`}
              />
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Figure
                title={t('portfolio.overdueRate')}
                value={formatShare(summary.overdueRateByBalance)}
                to={loansLink({ status: 'active', bucket: 'M1,M2,M3,M4,M5,M6,M7' })}
                testId="figure-overdue-rate"
                extra={`${t('portfolio.overdueRateByCount')} ${formatShare(summary.overdueRateByCount)} · ${more}`}
              />
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Figure
                title={t('portfolio.pastDuePrincipal')}
                value={money(summary.pastDuePrincipal)}
                to={loansLink({ status: 'active', bucket: 'M1,M2,M3,M4,M5,M6,M7' })}
                testId="figure-past-due"
                extra={`${t('portfolio.pastDue')} ${count(summary.pastDueLoans)} · ${more}`}
              />
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Figure
                title={t('portfolio.overduePrincipal')}
                value={money(summary.overduePrincipal)}
                to={loansLink({ status: 'active', bucket: 'M1,M2,M3,M4,M5,M6,M7' })}
                testId="figure-overdue-principal"
                extra={more}
              />
            </Col>
          </Row>
        </>
      ) : null}
      {view === null ? null : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Card title={t('portfolio.buckets')}>
              <EChart option={bucketOption} height={360} testId="bucket-chart" onClick={openBucket} />
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card title={t('portfolio.bucketTable')}>
              <Table<BucketShare>
                rowKey="bucket"
                size="small"
                pagination={false}
                dataSource={shares}
                data-testid="bucket-table"
                columns={[
                  {
                    title: t('portfolio.bucket'),
                    dataIndex: 'bucket',
                    render: (b: string) => (
                      <Link to={loansLink({ bucket: b, status: 'active' })} testId={`bucket-link-${b}`}>
                        {t(`bucket.${b}` as MessageKey)}
                      </Link>
                    ),
                  },
                  {
                    title: t('portfolio.loans'),
                    dataIndex: 'loans',
                    align: 'right',
                    render: (n: number) => count(n),
                  },
                  {
                    title: t('portfolio.outstanding'),
                    dataIndex: 'outstandingPrincipal',
                    align: 'right',
                    render: (m: string) => <span data-testid="bucket-amount">{money(m)}</span>,
                  },
                  {
                    title: t('portfolio.share'),
                    dataIndex: 'shareOfBalance',
                    align: 'right',
                    render: (s: string | undefined) => (s === undefined ? t('common.none') : formatShare(s)),
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
      {view?.state === 'ready' ? (
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          <Col xs={24} xl={14}>
            <Card title={t('portfolio.trend')}>
              <EChart option={trendOption} height={320} testId="trend-chart" onClick={openMonth} />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('portfolio.trendExplain')}
              </Typography.Paragraph>
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card title={t('portfolio.products')}>
              <Table<ProductFigures>
                rowKey="productId"
                size="small"
                pagination={false}
                dataSource={view.summary.products}
                data-testid="product-table"
                columns={[
                  {
                    title: t('portfolio.product'),
                    dataIndex: 'productId',
                    render: (id: string) => (
                      <Link to={loansLink({ productId: id, status: 'active' })} testId={`product-link-${id}`}>
                        {id}
                      </Link>
                    ),
                  },
                  {
                    title: t('portfolio.loans'),
                    dataIndex: 'loans',
                    align: 'right',
                    render: (n: number) => count(n),
                  },
                  {
                    title: t('portfolio.outstanding'),
                    dataIndex: 'outstandingPrincipal',
                    align: 'right',
                    render: (m: string) => money(m),
                  },
                  {
                    title: t('portfolio.overdueRate'),
                    dataIndex: 'overdueRateByBalance',
                    align: 'right',
                    render: (s: string, row) => (
                      <Link
                        to={loansLink({
                          productId: row.productId,
                          status: 'active',
                          bucket: 'M1,M2,M3,M4,M5,M6,M7',
                        })}
                      >
                        {formatShare(s)}
                      </Link>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      ) : null}
    </div>
  );
}
