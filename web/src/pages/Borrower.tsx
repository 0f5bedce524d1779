import { Alert, Button, Card, Descriptions, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { BorrowerLedger } from '../components/BorrowerLedger.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import type { Customer } from '../customer.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { can } from '../permissions.js';
import { useRouter } from '../router.js';
import { useApi, useSession } from '../session.js';

export function BorrowerPage({ customerId }: { customerId: string }) {
  const { t, money, dateTime } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { navigate } = useRouter();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [unmasking, setUnmasking] = useState(false);
  const mayUnmask = me !== null && can(me.role, 'customers.unmask');
  const path = `/customers/${encodeURIComponent(customerId)}`;

  useEffect(() => {
    setCustomer(null);
    setError(null);
    api.get<Customer>(path).then(setCustomer, setError);
  }, [api, path]);

  const unmask = async () => {
    setUnmasking(true);
    setError(null);
    try {
      setCustomer(await api.get<Customer>(path, { unmask: true }));
    } catch (e) {
      setError(e);
    } finally {
      setUnmasking(false);
    }
  };
  const remask = () => api.get<Customer>(path).then(setCustomer, setError);

  return (
    <div data-testid="page-borrower">
      <Space align="center">
        <Button onClick={() => navigate('/customers')}>{t('common.back')}</Button>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('borrower.title')} {customerId}
        </Typography.Title>
      </Space>
      <div style={{ height: 16 }} />
      <ProblemAlert error={error} />
      {customer === null && error === null ? <Spin /> : null}
      {customer !== null ? (
        <>
          <Card
            title={
              <Space>
                {customer.name}
                {customer.masked ? (
                  <Tag data-testid="masked-tag">{t('borrower.masked')}</Tag>
                ) : (
                  <Tag color="red" data-testid="unmasked-tag">
                    {t('borrower.unmasked')}
                  </Tag>
                )}
              </Space>
            }
            extra={
              mayUnmask ? (
                customer.masked ? (
                  <Button danger onClick={unmask} loading={unmasking} data-testid="unmask">
                    {t('borrower.unmask')}
                  </Button>
                ) : (
                  <Button onClick={remask} data-testid="remask">
                    {t('borrower.remask')}
                  </Button>
                )
              ) : null
            }
          >
            {mayUnmask && customer.masked ? (
              <Alert
                type="warning"
                showIcon
                message={t('borrower.unmaskExplain')}
                style={{ marginBottom: 16 }}
              />
            ) : null}
            {!customer.masked ? (
              <Alert
                type="warning"
                showIcon
                data-testid="unmasked-notice"
                message={t('borrower.unmaskedNotice')}
                style={{ marginBottom: 16 }}
              />
            ) : null}
            {!mayUnmask ? (
              <Alert type="info" showIcon message={t('borrower.maskedOnly')} style={{ marginBottom: 16 }} />
            ) : null}
            <Descriptions bordered column={2} size="middle" data-testid="customer-details">
              <Descriptions.Item label={t('customer.name')}>{customer.name}</Descriptions.Item>
              <Descriptions.Item label={t('customer.idNumber')}>
                <span data-testid="customer-idNumber">{customer.idNumber}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('customer.phone')}>
                <span data-testid="customer-phone">{customer.phone}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('customer.address')}>
                {[customer.address.province, customer.address.city, customer.address.detail]
                  .filter((part) => part !== undefined)
                  .join(' ')}
              </Descriptions.Item>
              <Descriptions.Item label={t('customer.income')}>
                {customer.declaredMonthlyIncome === undefined
                  ? t('common.none')
                  : money(customer.declaredMonthlyIncome)}
              </Descriptions.Item>
              <Descriptions.Item label={t('customer.createdAt')}>
                {dateTime(customer.createdAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('customer.externalRef')}>
                {customer.externalRef ?? t('common.none')}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5} style={{ marginTop: 24 }}>
              {t('customer.contacts')}
            </Typography.Title>
            <Table
              rowKey={(_, i) => String(i)}
              size="small"
              pagination={false}
              dataSource={customer.contacts}
              columns={[
                { title: t('customer.contactName'), dataIndex: 'name' },
                {
                  title: t('customer.relation'),
                  dataIndex: 'relation',
                  render: (r: string) => t(`relation.${r}` as MessageKey),
                },
                { title: t('customer.contactPhone'), dataIndex: 'phone' },
              ]}
            />
          </Card>
          <BorrowerLedger customerId={customerId} />
        </>
      ) : null}
    </div>
  );
}
