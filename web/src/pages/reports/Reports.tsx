import { Button, Card, Col, Input, List, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { EChart } from '../../components/EChart.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import {
  type CellLoans,
  eclByStage,
  FROM,
  labelIn,
  lastMonthEndBefore,
  liquidityChart,
  loadCell,
  loadReport,
  nplTrend,
  percent,
  REPORT_VIEWS,
  type Report,
  type ReportTable,
  type ReportView,
  recoveryCurves,
  rollForwardWaterfall,
  rollRateHeatmap,
  stressBars,
  TARGETS,
  tableOf,
  vintageCurves,
} from '../../data/reports.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { Link } from '../../router.js';
import { useApi } from '../../session.js';

/** Draw months the vintage chart shows. */
const VINTAGE_COHORTS_SHOWN = 12;

function ReportTableView({ table, testId }: { table: ReportTable; testId: string }) {
  const { locale, money } = useI18n();
  const columns = table.columns
    .filter((c) => c.key !== 'row')
    .map((c) => ({
      key: c.key,
      dataIndex: c.key,
      title: labelIn(c.label, locale),
      align: c.type === 'text' || c.type === 'date' ? ('left' as const) : ('right' as const),
      render: (v: string | number | null) =>
        v === null || v === undefined
          ? '—'
          : c.type === 'money'
            ? money(String(v))
            : c.type === 'ratio'
              ? percent(v)
              : v,
    }));
  return (
    <Card size="small" title={labelIn(table.label, locale)} style={{ marginBottom: 16 }}>
      <Table
        size="small"
        rowKey={(r) => String(r[table.columns[0]?.key ?? 'row'])}
        columns={columns}
        dataSource={table.rows}
        pagination={false}
        scroll={{ x: true }}
        data-testid={testId}
      />
    </Card>
  );
}

function Figures({ report }: { report: Report }) {
  const { locale, money } = useI18n();
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      {report.summary.map((f) => (
        <Col key={f.key} xs={12} md={6}>
          <Card size="small" data-testid={`figure-${f.key}`}>
            <Statistic
              title={labelIn(f.label, locale)}
              value={
                f.type === 'money'
                  ? money(String(f.value))
                  : f.type === 'ratio'
                    ? percent(f.value)
                    : String(f.value ?? '—')
              }
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

export function ReportsPage() {
  const { t, locale } = useI18n();
  const api = useApi();
  const [view, setView] = useState<ReportView>('classification');
  const [asOf, setAsOf] = useState<string>('');
  const [draft, setDraft] = useState<string>('');
  const [reports, setReports] = useState<Record<string, Report>>({});
  const [drill, setDrill] = useState<(CellLoans & { title: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);

  // The latest month end a report can describe: the one before the business day.
  useEffect(() => {
    api.get<{ asOf: string }>('/portfolio/summary').then((s) => {
      const end = lastMonthEndBefore(s.asOf);
      setAsOf(end);
      setDraft(end);
    }, setError);
  }, [api]);

  useEffect(() => {
    if (asOf === '') return;
    const kinds =
      view === 'classification'
        ? ['classification', 'npl']
        : view === 'vintage'
          ? ['vintage', 'recovery']
          : [view];
    setError(null);
    setDrill(null);
    Promise.all(kinds.map((k) => loadReport(api, k, asOf))).then(
      (loaded) => setReports(Object.fromEntries(loaded.map((r) => [r.kind, r]))),
      setError,
    );
  }, [api, asOf, view]);

  const main = reports[view] ?? null;
  const npl = reports.npl ?? null;
  const matrix = tableOf(main, 'matrix-count');
  const vintage = tableOf(main, 'vintage-m2');
  const trend = tableOf(npl, 'trend');
  const recovery = view === 'vintage' ? tableOf(reports.recovery ?? null, 'recovery-rate') : undefined;
  const recoveryOption = useMemo(
    () => (recovery === undefined ? null : recoveryCurves(recovery, VINTAGE_COHORTS_SHOWN)),
    [recovery],
  );
  const outLabel = t('reports.out');
  const heatmap = useMemo(
    () => (matrix === undefined ? null : rollRateHeatmap(matrix, outLabel)),
    [matrix, outLabel],
  );
  const curves = useMemo(
    () => (vintage === undefined ? null : vintageCurves(vintage, 'all', VINTAGE_COHORTS_SHOWN)),
    [vintage],
  );
  const nplOption = useMemo(
    () =>
      trend === undefined
        ? null
        : nplTrend(trend, { npl: t('reports.nplRatio'), dpd90: t('reports.dpd90Ratio') }),
    [trend, t],
  );
  const stages = tableOf(main, 'stages');
  const rollForward = tableOf(main, 'roll-forward');
  const movementLabel = useCallback((m: string) => t(`reports.movement.${m}` as MessageKey), [t]);
  const stageOption = useMemo(
    () =>
      view !== 'ecl' || stages === undefined
        ? null
        : eclByStage(stages, { ead: t('reports.ead'), ecl: t('reports.ecl'), stage: t('reports.stage') }),
    [view, stages, t],
  );
  const waterfall = useMemo(
    () =>
      view !== 'ecl' || rollForward === undefined
        ? null
        : rollForwardWaterfall(rollForward, movementLabel, {
            rise: t('reports.rise'),
            fall: t('reports.fall'),
          }),
    [view, rollForward, movementLabel, t],
  );
  const rollForwardShown = useMemo(
    () =>
      rollForward === undefined
        ? undefined
        : {
            ...rollForward,
            rows: rollForward.rows.map((r) => ({ ...r, movement: movementLabel(String(r.movement)) })),
          },
    [rollForward, movementLabel],
  );
  const stressResults = view === 'stress' ? tableOf(main, 'scenarios') : undefined;
  const weightedEcl = main?.summary.find((f) => f.key === 'ecl-weighted')?.value ?? null;
  const stressOption = useMemo(
    () =>
      stressResults === undefined
        ? null
        : stressBars(stressResults, weightedEcl, {
            ecl: t('reports.ecl'),
            loss: t('reports.loss12m'),
            weighted: t('reports.weightedEcl'),
          }),
    [stressResults, weightedEcl, t],
  );
  const liquidityMonths = view === 'liquidity' ? tableOf(main, 'months') : undefined;
  const liquidityOption = useMemo(
    () =>
      liquidityMonths === undefined
        ? null
        : liquidityChart(liquidityMonths, { outflows: t('reports.outflows'), cashIn: t('reports.cashIn') }),
    [liquidityMonths, t],
  );
  const [riskBusy, setRiskBusy] = useState(false);
  const downloadRiskReport = async (format: 'pdf' | 'html') => {
    setError(null);
    setRiskBusy(true);
    try {
      const blob = await api.download('/reports/monthly-risk', { asOf, format, locale });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `risk-report-${asOf}-${locale}.${format}`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e);
    } finally {
      setRiskBusy(false);
    }
  };
  const openMatrixCell = useCallback(
    (index: number) => {
      const from = FROM[Math.floor(index / TARGETS.length)];
      const to = TARGETS[index % TARGETS.length];
      if (from === undefined || to === undefined) return;
      loadCell(api, 'roll-rates', asOf, 'matrix-count', from, to).then(
        (c) => setDrill({ ...c, title: `${from} → ${to === 'out' ? outLabel : to}` }),
        setError,
      );
    },
    [api, asOf, outLabel],
  );

  return (
    <div data-testid="page-reports">
      <Typography.Title level={2}>{t('reports.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented<ReportView>
          value={view}
          onChange={setView}
          options={REPORT_VIEWS.map((v) => ({
            value: v,
            label: <span data-testid={`report-view-${v}`}>{t(`reports.view.${v}` as MessageKey)}</span>,
          }))}
        />
        <Input
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          style={{ width: 140 }}
          data-testid="report-as-of"
          aria-label={t('reports.asOf')}
        />
        <Button onClick={() => setAsOf(draft)} data-testid="report-load">
          {t('reports.load')}
        </Button>
        <Button
          onClick={() => downloadRiskReport('pdf')}
          loading={riskBusy}
          disabled={asOf === ''}
          data-testid="risk-report-pdf"
        >
          {t('reports.riskPdf')}
        </Button>
        <Button
          onClick={() => downloadRiskReport('html')}
          loading={riskBusy}
          disabled={asOf === ''}
          data-testid="risk-report-html"
        >
          {t('reports.riskHtml')}
        </Button>
      </Space>
      <ProblemAlert error={error} />
      {main !== null ? (
        <>
          <Typography.Paragraph type="secondary" data-testid="report-title">
            {labelIn(main.title, locale)} — {main.asOf}
          </Typography.Paragraph>
          <Figures report={main} />
        </>
      ) : null}
      {view === 'classification' && main !== null ? (
        <>
          <ReportTableView table={tableOf(main, 'by-class') as ReportTable} testId="class-table" />
          {nplOption !== null ? (
            <Card size="small" title={t('reports.nplTrend')} style={{ marginBottom: 16 }}>
              <EChart option={nplOption} height={280} testId="npl-trend" />
            </Card>
          ) : null}
        </>
      ) : null}
      {view === 'roll-rates' && heatmap !== null ? (
        <Card size="small" title={t('reports.heatmap')} style={{ marginBottom: 16 }}>
          <EChart option={heatmap} height={360} testId="roll-rate-heatmap" onClick={openMatrixCell} />
        </Card>
      ) : null}
      {view === 'roll-rates' && main !== null ? (
        <ReportTableView table={tableOf(main, 'indicators') as ReportTable} testId="indicators-table" />
      ) : null}
      {view === 'vintage' && curves !== null ? (
        <Card size="small" title={t('reports.vintageCurves')} style={{ marginBottom: 16 }}>
          <EChart option={curves} height={360} testId="vintage-curves" />
        </Card>
      ) : null}
      {view === 'vintage' && main !== null ? (
        <ReportTableView table={tableOf(main, 'fpd') as ReportTable} testId="fpd-table" />
      ) : null}
      {view === 'vintage' && recoveryOption !== null && recovery !== undefined ? (
        <>
          <Card size="small" title={t('reports.recoveryCurves')} style={{ marginBottom: 16 }}>
            {recovery.rows.length === 0 ? (
              <span data-testid="recovery-none">{t('reports.recoveryNone')}</span>
            ) : (
              <EChart option={recoveryOption} height={320} testId="recovery-curves" />
            )}
          </Card>
          <ReportTableView table={recovery} testId="recovery-table" />
        </>
      ) : null}
      {view === 'ecl' && main?.kind === 'ecl' ? (
        <>
          {stageOption !== null ? (
            <Card size="small" title={t('reports.eclByStage')} style={{ marginBottom: 16 }}>
              <EChart option={stageOption} height={300} testId="ecl-by-stage" />
            </Card>
          ) : null}
          <ReportTableView table={tableOf(main, 'stages') as ReportTable} testId="stage-table" />
          {waterfall !== null && rollForwardShown !== undefined ? (
            <>
              <Card size="small" title={t('reports.rollForward')} style={{ marginBottom: 16 }}>
                <EChart option={waterfall} height={320} testId="ecl-waterfall" />
              </Card>
              <ReportTableView table={rollForwardShown} testId="roll-forward-table" />
            </>
          ) : (
            <Typography.Paragraph type="secondary" data-testid="no-roll-forward">
              {t('reports.noRollForward')}
            </Typography.Paragraph>
          )}
          <ReportTableView table={tableOf(main, 'scenarios') as ReportTable} testId="ecl-scenarios-table" />
        </>
      ) : null}
      {view === 'stress' && main?.kind === 'stress' ? (
        <>
          {stressOption !== null ? (
            <Card size="small" title={t('reports.stressChart')} style={{ marginBottom: 16 }}>
              <EChart option={stressOption} height={320} testId="stress-chart" />
            </Card>
          ) : null}
          <ReportTableView table={tableOf(main, 'scenarios') as ReportTable} testId="stress-table" />
        </>
      ) : null}
      {view === 'liquidity' && main?.kind === 'liquidity' ? (
        <>
          {liquidityOption !== null ? (
            <Card size="small" title={t('reports.liquidityChart')} style={{ marginBottom: 16 }}>
              <EChart option={liquidityOption} height={320} testId="liquidity-chart" />
            </Card>
          ) : null}
          <ReportTableView table={tableOf(main, 'months') as ReportTable} testId="liquidity-months" />
          <ReportTableView table={tableOf(main, 'outflows') as ReportTable} testId="liquidity-outflows" />
        </>
      ) : null}
      {drill !== null ? (
        <Card
          size="small"
          title={`${drill.title}: ${t('reports.loans', { n: drill.loans })}`}
          data-testid="drill"
        >
          <List
            size="small"
            dataSource={drill.loanIds.slice(0, 50)}
            renderItem={(id) => (
              <List.Item>
                <Link to={`/loans/${id}`}>{id}</Link>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      {main?.notes.map((n) => (
        <Typography.Paragraph key={n.en} type="secondary">
          {labelIn(n, locale)}
        </Typography.Paragraph>
      ))}
    </div>
  );
}
