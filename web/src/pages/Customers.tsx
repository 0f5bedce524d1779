import { Button, Card, Form, Input, Space, Table, Typography } from 'antd';
import { useCallback, useState } from 'react';
import type { Page } from '../api.js';
import { PagerBar } from '../components/PagerBar.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { usePaged } from '../components/usePaged.js';
import { type Customer, customerSearch } from '../customer.js';
import { useI18n } from '../i18n.js';
import { can } from '../permissions.js';
import { Link, useRouter } from '../router.js';
import { useApi, useSession } from '../session.js';

export function CustomersPage() {
  const { t, money, dateTime } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { navigate } = useRouter();
  const [search, setSearch] = useState<{ idNumber: string } | { phone: string } | undefined>(undefined);
  const [form] = Form.useForm<{ q: string }>();

  const load = useCallback(
    (cursor: string | undefined, limit: number) =>
      api.get<Page<Customer>>('/customers', { limit, cursor, ...search }),
    [api, search],
  );
  const paged = usePaged(load);

  const onSearch = ({ q }: { q?: string }) => {
    const text = (q ?? '').trim();
    if (text === '') return setSearch(undefined);
    const found = customerSearch(text);
    if (found === undefined) {
      form.setFields([{ name: 'q', errors: [t('customers.searchInvalid')] }]);
      return;
    }
    setSearch(found);
  };

  return (
    <div data-testid="page-customers">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center">
        <Typography.Title level={2}>{t('customers.title')}</Typography.Title>
        {me !== null && can(me.role, 'customers.create') ? (
          <Button type="primary" onClick={() => navigate('/customers/new')} data-testid="new-customer">
            {t('nav.newCustomer')}
          </Button>
        ) : null}
      </Space>
      <Card>
        <Form form={form} layout="inline" onFinish={onSearch} style={{ marginBottom: 16 }}>
          <Form.Item name="q" style={{ width: 420 }}>
            <Input placeholder={t('customers.searchPlaceholder')} allowClear data-testid="customer-search" />
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="customer-search-submit">
            {t('common.search')}
          </Button>
          <Button
            style={{ marginLeft: 8 }}
            onClick={() => {
              form.resetFields();
              setSearch(undefined);
            }}
          >
            {t('common.clear')}
          </Button>
        </Form>
        <ProblemAlert error={paged.error} />
        <Table<Customer>
          rowKey="customerId"
          loading={paged.loading}
          dataSource={paged.items}
          pagination={false}
          locale={{ emptyText: t('customers.empty') }}
          data-testid="customers-table"
          columns={[
            {
              title: t('customer.id'),
              dataIndex: 'customerId',
              render: (id: string) => (
                <Link to={`/customers/${encodeURIComponent(id)}`} testId="customer-link">
                  {id}
                </Link>
              ),
            },
            { title: t('customer.name'), dataIndex: 'name' },
            { title: t('customer.idNumber'), dataIndex: 'idNumber' },
            { title: t('customer.phone'), dataIndex: 'phone' },
            {
              title: t('customer.address'),
              render: (_: unknown, c: Customer) => `${c.address.province} ${c.address.city}`,
            },
            {
              title: t('customer.income'),
              dataIndex: 'declaredMonthlyIncome',
              align: 'right',
              render: (v: string | undefined) => (v === undefined ? t('common.none') : money(v)),
            },
            { title: t('customer.createdAt'), dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
          ]}
        />
        <PagerBar {...paged} />
      </Card>
    </div>
  );
}
