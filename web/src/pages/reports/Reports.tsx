import {
  Alert,
  Button,
  Card,
  Col,
  Input,
  List,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { EChart } from '../../components/EChart.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import {
  type CellLoans,
  eclByStage,
  FROM,
  isVintageGrouping,
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
  segmentsOf,
  segmentTable,
  stressBars,
  TARGETS,
  tableOf,
  VINTAGE_GROUPINGS,
  VINTAGE_TABLE,
  type VintageGrouping,
  vintageCurveRows,
  vintageCurves,
  vintageMobs,
} from '../../data/reports.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { Link, useRouter } from '../../router.js';
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

/** A vintage figure drilled into: its row (`segment/YYYY-MM`) and months-on-book column (`mobK`). */
interface VintageCell {
  readonly row: string;
  readonly column: string;
}

/**
 * The page's view, the vintage grouping and the vintage figure drilled into as the address keeps them
 * (`?view=vintage&by=product&row=cash-12m%2F2025-09&column=mob2`).
 */
function addressState(search: string): { view: ReportView; by: VintageGrouping; cell: VintageCell | null } {
  const params = new URLSearchParams(search);
  const by = params.get('by');
  const view = params.get('view');
  const grouped = isVintageGrouping(by) ? by : 'all';
  const shown = REPORT_VIEWS.find((v) => v === view) ?? (grouped === 'all' ? 'classification' : 'vintage');
  const row = params.get('row');
  const column = params.get('column');
  return {
    view: shown,
    by: grouped,
    cell:
      shown === 'vintage' && row !== null && row !== '' && column !== null && /^mob\d+$/.test(column)
        ? { row, column }
        : null,
  };
}

/** The address of a view, its grouping and (the vintage view only) the figure drilled into. */
function addressOf(view: ReportView, by: VintageGrouping, cell: VintageCell | null = null): string {
  const params = new URLSearchParams({ view });
  if (by !== 'all') params.set('by', by);
  if (view === 'vintage' && cell !== null) {
    params.set('row', cell.row);
    params.set('column', cell.column);
  }
  return params.toString();
}

/** A segment's vintage figures, cohort by months on book: each figure opens the loans behind it. */
function VintageMatrix({
  table,
  segment,
  onOpen,
  testId,
}: {
  table: ReportTable;
  segment: string;
  onOpen: (cell: VintageCell) => void;
  testId: string;
}) {
  const { t, locale, money } = useI18n();
  const rows = useMemo(() => table.rows.filter((r) => r.segment === segment), [table, segment]);
  const label = (key: string) => {
    const c = table.columns.find((x) => x.key === key);
    return c === undefined ? key : labelIn(c.label, locale);
  };
  const columns = [
    { key: 'cohort', dataIndex: 'cohort', title: label('cohort'), fixed: 'left' as const },
    { key: 'loans', dataIndex: 'loans', title: label('loans'), align: 'right' as const },
    {
      key: 'disbursed',
      dataIndex: 'disbursed',
      title: label('disbursed'),
      align: 'right' as const,
      render: (v: string | number | null) => (v === null ? '—' : money(String(v))),
    },
    ...vintageMobs(table).map((m) => ({
      key: m,
      dataIndex: m,
      title: label(m),
      align: 'right' as const,
      render: (v: string | number | null, r: Record<string, string | number | null>) =>
        v === null || v === undefined ? (
          '—'
        ) : (
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => onOpen({ row: String(r.row), column: m })}
            data-testid={`vintage-cell-${String(r.row)}-${m}`}
            aria-label={t('reports.vintageCellLabel', { cohort: String(r.cohort), mob: m.slice(3) })}
          >
            {percent(v)}
          </Button>
        ),
    })),
  ];
  return (
    <Card
      size="small"
      title={t('reports.vintageMatrix')}
      style={{ marginBottom: 16 }}
      data-testid={`${testId}-matrix`}
    >
      <Table
        size="small"
        rowKey={(r) => String(r.row)}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
      />
    </Card>
  );
}

/** The loans behind a vintage figure, as the API's drill-down lists them. */
function VintageDrill({
  cell,
  table,
  loans,
  groupLabel,
  onClose,
}: {
  cell: VintageCell;
  table: ReportTable | undefined;
  loans: CellLoans | null;
  groupLabel: (segment: string) => string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const row = table?.rows.find((r) => r.row === cell.row);
  const [segment = '', cohort = cell.row] = cell.row.split('/');
  const figure = row?.[cell.column];
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="vintage-drill"
      title={t('reports.vintageDrill', {
        cohort,
        mob: cell.column.slice(3),
        group: groupLabel(segment),
      })}
      extra={
        <Button size="small" onClick={onClose} data-testid="vintage-drill-close">
          {t('common.clear')}
        </Button>
      }
    >
      <Typography.Paragraph data-testid="vintage-drill-figure">
        {t('reports.vintageDrillFigure', {
          figure: figure === undefined ? '—' : percent(figure),
          mob: cell.column.slice(3),
        })}
      </Typography.Paragraph>
      {loans === null ? (
        <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
      ) : (
        <>
          <Typography.Paragraph strong data-testid="vintage-drill-loans">
            {t('reports.loans', { n: loans.loans })}
          </Typography.Paragraph>
          {loans.truncated ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              message={t('reports.drillTruncated', { shown: loans.loanIds.length, n: loans.loans })}
            />
          ) : null}
          <Table
            size="small"
            rowKey={(id) => id}
            dataSource={loans.loanIds}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            data-testid="vintage-drill-table"
            columns={[
              {
                key: 'loanId',
                title: t('reports.loanId'),
                render: (_: unknown, id: string) => (
                  <Link to={`/loans/${id}`} testId={`vintage-drill-loan-${id}`}>
                    {id}
                  </Link>
                ),
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}

/** The vintage and recovery curves of one segment: a card per segment when the page groups them. */
function SegmentCurves({
  title,
  table,
  chart,
  extra,
  onPoint,
  matrix,
  testId,
}: {
  title: string;
  table: ReportTable;
  chart: (t: ReportTable) => ReturnType<typeof vintageCurves>;
  extra?: ReportTable;
  /** A click on a point of the curves (index on the axis, index of the line). */
  onPoint?: (dataIndex: number, seriesIndex: number) => void;
  /** The segment's figures, under its curves. */
  matrix?: ReactNode;
  testId: string;
}) {
  const option = useMemo(() => chart(table), [chart, table]);
  return (
    <Card size="small" title={title} style={{ marginBottom: 16 }} data-testid={`${testId}-group`}>
      <EChart
        option={option}
        height={300}
        testId={`${testId}-curves`}
        {...(onPoint === undefined ? {} : { onClick: onPoint })}
      />
      {matrix}
      {extra !== undefined ? <ReportTableView table={extra} testId={`${testId}-table`} /> : null}
    </Card>
  );
}

export function ReportsPage() {
  const { t, locale } = useI18n();
  const api = useApi();
  const { search, replaceSearch } = useRouter();
  const address = useMemo(() => addressState(search), [search]);
  const [view, setViewState] = useState<ReportView>(address.view);
  const by = view === 'vintage' ? address.by : 'all';
  const setView = useCallback(
    (next: ReportView) => {
      setViewState(next);
      // The grouping stays in the address while another view is shown, for the way back to the vintages.
      replaceSearch(addressOf(next, address.by));
    },
    [replaceSearch, address.by],
  );
  const setBy = useCallback(
    (next: VintageGrouping) => replaceSearch(addressOf('vintage', next)),
    [replaceSearch],
  );
  // The vintage figure drilled into is kept in the address, so the loans behind it can be linked to.
  const cell = view === 'vintage' ? address.cell : null;
  const openVintageCell = useCallback(
    (next: VintageCell | null) => replaceSearch(addressOf('vintage', address.by, next)),
    [replaceSearch, address.by],
  );
  const [vintageLoans, setVintageLoans] = useState<CellLoans | null>(null);
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
    let current = true;
    // The vintage page asks both of its reports for the chosen grouping (`?by=`).
    Promise.all(kinds.map((k) => loadReport(api, k, asOf, view === 'vintage' ? by : 'all'))).then(
      (loaded) => {
        if (current) setReports(Object.fromEntries(loaded.map((r) => [r.kind, r])));
      },
      (e) => {
        if (current) setError(e);
      },
    );
    return () => {
      current = false;
    };
  }, [api, asOf, view, by]);

  const cellRow = cell?.row ?? null;
  const cellColumn = cell?.column ?? null;
  useEffect(() => {
    setVintageLoans(null);
    if (asOf === '' || cellRow === null || cellColumn === null) return;
    let current = true;
    loadCell(api, 'vintage', asOf, VINTAGE_TABLE, cellRow, cellColumn, by).then(
      (c) => {
        if (current) setVintageLoans(c);
      },
      (e) => {
        if (current) setError(e);
      },
    );
    return () => {
      current = false;
    };
  }, [api, asOf, by, cellRow, cellColumn]);

  const main = reports[view] ?? null;
  const npl = reports.npl ?? null;
  const matrix = tableOf(main, 'matrix-count');
  const vintage = tableOf(main, VINTAGE_TABLE);
  const trend = tableOf(npl, 'trend');
  const recovery = view === 'vintage' ? tableOf(reports.recovery ?? null, 'recovery-rate') : undefined;
  const fpd = tableOf(main, 'fpd');
  /** A card per segment when grouped (none for the whole book): the server's segments, in its order. */
  const vintageGroups = useMemo(
    () =>
      by === 'all' || vintage === undefined
        ? []
        : segmentsOf(vintage).map((segment) => ({
            segment,
            table: segmentTable(vintage, segment),
            ...(fpd === undefined ? {} : { extra: segmentTable(fpd, segment) }),
          })),
    [by, vintage, fpd],
  );
  const recoveryGroups = useMemo(
    () =>
      by === 'all' || recovery === undefined
        ? []
        : segmentsOf(recovery).map((segment) => ({ segment, table: segmentTable(recovery, segment) })),
    [by, recovery],
  );
  const byLabel = by === 'all' ? '' : t(`reports.by.${by}` as MessageKey);
  const groupVintage = useCallback(
    (table: ReportTable) => vintageCurves(table, String(table.rows[0]?.segment), VINTAGE_COHORTS_SHOWN),
    [],
  );
  /** A point of a segment's curves: its line is a draw month, its place on the axis the months on book. */
  const vintagePoint = useCallback(
    (segment: string) => (dataIndex: number, seriesIndex: number) => {
      if (vintage === undefined) return;
      const row = vintageCurveRows(vintage, segment, VINTAGE_COHORTS_SHOWN)[seriesIndex];
      const column = vintageMobs(vintage)[dataIndex];
      if (row !== undefined && column !== undefined && row[column] !== null && row[column] !== undefined)
        openVintageCell({ row: String(row.row), column });
    },
    [vintage, openVintageCell],
  );
  const allPoint = useMemo(() => vintagePoint('all'), [vintagePoint]);
  const groupLabel = useCallback(
    (segment: string) =>
      segment === 'all' ? t('reports.by.all') : t('reports.group', { by: byLabel, segment }),
    [t, byLabel],
  );
  const groupRecovery = useCallback((table: ReportTable) => recoveryCurves(table, VINTAGE_COHORTS_SHOWN), []);
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
      {view === 'vintage' ? (
        <Space style={{ marginBottom: 16 }}>
          <Typography.Text>{t('reports.by')}</Typography.Text>
          <Segmented<VintageGrouping>
            value={by}
            onChange={setBy}
            data-testid="vintage-by"
            options={VINTAGE_GROUPINGS.map((g) => ({
              value: g,
              label: <span data-testid={`vintage-by-${g}`}>{t(`reports.by.${g}` as MessageKey)}</span>,
            }))}
          />
        </Space>
      ) : null}
      {view === 'vintage' && by === 'all' && curves !== null ? (
        <Card size="small" title={t('reports.vintageCurves')} style={{ marginBottom: 16 }}>
          <EChart option={curves} height={360} testId="vintage-curves" onClick={allPoint} />
        </Card>
      ) : null}
      {view === 'vintage' && cell !== null ? (
        <VintageDrill
          cell={cell}
          table={vintage}
          loans={vintageLoans}
          groupLabel={groupLabel}
          onClose={() => openVintageCell(null)}
        />
      ) : null}
      {view === 'vintage' && by === 'all' && vintage !== undefined ? (
        <VintageMatrix table={vintage} segment="all" onOpen={openVintageCell} testId="vintage-all" />
      ) : null}
      {view === 'vintage' && by === 'all' && fpd !== undefined ? (
        <ReportTableView table={fpd} testId="fpd-table" />
      ) : null}
      {view === 'vintage'
        ? vintageGroups.map(({ segment, table, extra }) => (
            <SegmentCurves
              key={`vintage-${by}-${segment}`}
              title={`${t('reports.vintageCurves')} — ${t('reports.group', { by: byLabel, segment })}`}
              table={table}
              chart={groupVintage}
              {...(extra === undefined ? {} : { extra })}
              onPoint={vintagePoint(segment)}
              matrix={
                vintage === undefined ? null : (
                  <VintageMatrix
                    table={vintage}
                    segment={segment}
                    onOpen={openVintageCell}
                    testId={`vintage-${segment}`}
                  />
                )
              }
              testId={`vintage-${segment}`}
            />
          ))
        : null}
      {view === 'vintage' && by !== 'all' && recovery !== undefined && recovery.rows.length > 0
        ? recoveryGroups.map(({ segment, table }) => (
            <SegmentCurves
              key={`recovery-${by}-${segment}`}
              title={`${t('reports.recoveryCurves')} — ${t('reports.group', { by: byLabel, segment })}`}
              table={table}
              chart={groupRecovery}
              extra={table}
              testId={`recovery-${segment}`}
            />
          ))
        : null}
      {view === 'vintage' && by !== 'all' && recovery !== undefined && recovery.rows.length === 0 ? (
        <Card size="small" title={t('reports.recoveryCurves')} style={{ marginBottom: 16 }}>
          <span data-testid="recovery-none">{t('reports.recoveryNone')}</span>
        </Card>
      ) : null}
      {view === 'vintage' && by === 'all' && recoveryOption !== null && recovery !== undefined ? (
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
