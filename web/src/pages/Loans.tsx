import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Page } from '../api.js';
import { PagerBar } from '../components/PagerBar.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { usePaged } from '../components/usePaged.js';
import { BUCKETS } from '../data/portfolio.js';
import { useI18n } from '../i18n.js';
import type { Loan, StoredProduct } from '../ledger.js';
import type { MessageKey } from '../messages.js';
import { Link, useRouter } from '../router.js';
import { useApi } from '../session.js';

/** The filters and order of the list, as they stand in the address (so a figure can link to its loans). */
const FILTER_NAMES = [
  'q',
  'bucket',
  'productId',
  'status',
  'drawnFrom',
  'drawnTo',
  'customerId',
  'sort',
  'order',
];
type Filter = Partial<Record<(typeof FILTER_NAMES)[number], string>>;

/**
 * The status filter as the address gives it: none means active loans (what staff work on), `all` lists
 * settled loans too.
 */
export const STATUS_ALL = 'all';
export function statusQuery(status: string | undefined): 'active' | 'settled' | undefined {
  if (status === undefined) return 'active';
  if (status === 'active' || status === 'settled') return status;
  return undefined;
}

/** The query of GET /loans (and of GET /loans/count, without the order) for the address's filter. */
export function loanQuery(filter: Filter): Record<string, string | undefined> {
  return { ...filter, status: statusQuery(filter.status) };
}

/** Ids as the API writes them (src/store/ids.ts). */
const ID_PATTERN = /^[a-z]{2,4}_[0-9a-f]{28}$/;

const BUCKET_COLOURS: Record<string, string> = {
  M0: 'green',
  M1: 'gold',
  M2: 'orange',
  M3: 'volcano',
  M4: 'red',
  M5: 'red',
  M6: 'magenta',
  M7: 'purple',
};

export function BucketTag({ bucket }: { bucket: string }) {
  const { t } = useI18n();
  return <Tag color={BUCKET_COLOURS[bucket] ?? 'default'}>{t(`bucket.${bucket}` as MessageKey)}</Tag>;
}

function parseFilter(search: string): Filter {
  const params = new URLSearchParams(search);
  const filter: Filter = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name);
    if (value !== null && value !== '') filter[name] = value;
  }
  return filter;
}

function filterSearch(filter: Filter): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filter[name];
    if (value !== undefined && value !== '') params.set(name, value);
  }
  return params.toString();
}

export function LoansPage() {
  const { t, money, count, date } = useI18n();
  const api = useApi();
  const { search, replaceSearch } = useRouter();
  const filter = useMemo(() => parseFilter(search), [search]);
  const [products, setProducts] = useState<StoredProduct[]>([]);
  const [form] = Form.useForm<{ q: string }>();

  useEffect(() => {
    api.get<Page<StoredProduct>>('/products', { limit: 200 }).then(
      (p) => setProducts(p.items),
      () => {},
    );
  }, [api]);
  useEffect(() => {
    form.setFieldsValue({ q: filter.q ?? '' });
  }, [form, filter.q]);

  const setFilter = useCallback(
    (change: Filter) => replaceSearch(filterSearch({ ...filter, ...change })),
    [filter, replaceSearch],
  );
  const load = useCallback(
    (cursor: string | undefined, limit: number) =>
      api.get<Page<Loan>>('/loans', { limit, cursor, ...loanQuery(filter) }),
    [api, filter],
  );
  const paged = usePaged(load);
  // The total of the same filters (keyset pages never count): GET /loans/count.
  const [total, setTotal] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    setTotal(null);
    const { sort: _sort, order: _order, ...filters } = loanQuery(filter);
    api.get<{ count: number }>('/loans/count', filters).then(
      (c) => live && setTotal(c.count),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api, filter]);

  const onSearch = ({ q }: { q?: string }) => {
    const text = (q ?? '').trim();
    if (text !== '' && !ID_PATTERN.test(text)) {
      form.setFields([{ name: 'q', errors: [t('loans.searchInvalid')] }]);
      return;
    }
    setFilter({ q: text });
  };

  const sortOrder = (column: string) =>
    (filter.sort ?? 'loanId') === column ? (filter.order === 'desc' ? 'descend' : 'ascend') : null;
  const onTableChange = (_p: unknown, _f: unknown, sorter: SorterResult<Loan> | SorterResult<Loan>[]) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    if (s?.order == null) return setFilter({ sort: undefined, order: undefined });
    setFilter({ sort: String(s.columnKey), order: s.order === 'descend' ? 'desc' : 'asc' });
  };
  const filtered = Object.keys(filter).some((k) => k !== 'sort' && k !== 'order' && k !== 'status');

  return (
    <div data-testid="page-loans">
      <Typography.Title level={2}>{t('loans.title')}</Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 16 }} align="start">
          <Form form={form} layout="inline" onFinish={onSearch}>
            <Form.Item name="q" style={{ width: 340 }}>
              <Input placeholder={t('loans.searchPlaceholder')} allowClear data-testid="loan-search" />
            </Form.Item>
            <Button type="primary" htmlType="submit" data-testid="loan-search-submit">
              {t('common.search')}
            </Button>
          </Form>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('loans.bucket')}
            style={{ minWidth: 200 }}
            value={filter.bucket === undefined ? [] : filter.bucket.split(',')}
            onChange={(v: string[]) => setFilter({ bucket: v.join(',') })}
            options={BUCKETS.map((b) => ({ value: b, label: t(`bucket.${b}` as MessageKey) }))}
            data-testid="filter-bucket"
          />
          <Select
            allowClear
            placeholder={t('loans.product')}
            style={{ minWidth: 160 }}
            value={filter.productId}
            onChange={(v: string | undefined) => setFilter({ productId: v })}
            options={products.map((p) => ({ value: p.productId, label: p.product.name ?? p.productId }))}
            data-testid="filter-product"
          />
          <Select
            allowClear
            placeholder={t('loans.status')}
            style={{ minWidth: 120 }}
            value={filter.status ?? 'active'}
            onChange={(v: string | undefined) => setFilter({ status: v === 'active' ? undefined : v })}
            options={[
              { value: 'active', label: t('status.active') },
              { value: 'settled', label: t('status.settled') },
              { value: STATUS_ALL, label: t('loans.any') },
            ]}
            data-testid="filter-status"
          />
          <DatePicker.RangePicker
            placeholder={[t('loans.drawn'), t('loans.drawn')]}
            value={[
              filter.drawnFrom === undefined ? null : dayjs(filter.drawnFrom),
              filter.drawnTo === undefined ? null : dayjs(filter.drawnTo),
            ]}
            allowEmpty={[true, true]}
            onChange={(range) =>
              setFilter({
                drawnFrom: range?.[0]?.format('YYYY-MM-DD'),
                drawnTo: range?.[1]?.format('YYYY-MM-DD'),
              })
            }
            data-testid="filter-drawn"
          />
          <Button
            onClick={() => {
              form.resetFields();
              replaceSearch('');
            }}
            data-testid="filter-clear"
          >
            {t('common.clear')}
          </Button>
        </Space>
        {filtered ? (
          <Alert type="info" showIcon message={t('loans.filtered')} style={{ marginBottom: 16 }} />
        ) : null}
        <ProblemAlert error={paged.error} />
        <Typography.Paragraph data-testid="loans-total" style={{ marginBottom: 8 }}>
          {total === null ? t('loans.totalLoading') : t('loans.total', { count: count(total) })}
        </Typography.Paragraph>
        <Table<Loan>
          rowKey="loanId"
          loading={paged.loading}
          dataSource={paged.items}
          pagination={false}
          onChange={onTableChange}
          locale={{ emptyText: t('loans.empty') }}
          data-testid="loans-table"
          // Fits 1440 px without scrolling sideways: ids are cut with an ellipsis (the full id in the link's
          // title), figures stay on one line.
          tableLayout="fixed"
          size="middle"
          columns={[
            {
              key: 'loanId',
              title: t('loan.id'),
              dataIndex: 'loanId',
              sorter: true,
              sortOrder: sortOrder('loanId'),
              ellipsis: true,
              render: (id: string) => (
                <span title={id}>
                  <Link to={`/loans/${encodeURIComponent(id)}`} testId="loan-link">
                    {id}
                  </Link>
                </span>
              ),
            },
            {
              title: t('loan.customer'),
              dataIndex: 'customerId',
              ellipsis: true,
              render: (id: string) => (
                <span title={id}>
                  <Link to={`/customers/${encodeURIComponent(id)}`}>{id}</Link>
                </span>
              ),
            },
            { title: t('loan.product'), dataIndex: 'productId', width: 100, ellipsis: true },
            {
              key: 'openedDay',
              title: t('loan.openedOn'),
              dataIndex: 'openedOn',
              sorter: true,
              sortOrder: sortOrder('openedDay'),
              width: 118,
              render: (d: string) => date(d),
            },
            {
              title: t('loan.principal'),
              dataIndex: 'principal',
              align: 'right',
              width: 128,
              render: (m: string) => money(m),
            },
            {
              key: 'outstandingPrincipal',
              title: t('loan.outstanding'),
              dataIndex: 'outstandingPrincipal',
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('outstandingPrincipal'),
              width: 132,
              render: (m: string) => money(m),
            },
            {
              key: 'overduePrincipal',
              title: t('loan.overduePrincipalShort'),
              dataIndex: 'overduePrincipal',
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('overduePrincipal'),
              width: 128,
              render: (m: string | undefined) => money(m ?? '0'),
            },
            {
              key: 'daysPastDue',
              title: t('loan.dpd'),
              dataIndex: 'daysPastDue',
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('daysPastDue'),
              width: 104,
              render: (n: number) => <span data-testid="loan-dpd">{count(n)}</span>,
            },
            {
              title: t('loan.bucket'),
              dataIndex: 'bucket',
              width: 150,
              // A settled loan has no stage to show: its status says it all.
              render: (b: string, loan: Loan) =>
                loan.status === 'settled' ? <Tag>{t('status.settled')}</Tag> : <BucketTag bucket={b} />,
            },
          ]}
        />
        <PagerBar {...paged} />
      </Card>
    </div>
  );
}
