import { App, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import type { Rule } from 'antd/es/form/index.js';
import { useState } from 'react';
import { ApiProblem, newIdempotencyKey } from '../api.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import {
  AMOUNT_PATTERN,
  CONTACT_RELATIONS,
  CONTACTS_MAX,
  type Customer,
  EXTERNAL_REF_PATTERN,
  idNumberProblem,
  PHONE_PATTERN,
} from '../customer.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { problemsByField } from '../problem-fields.js';
import { useRouter } from '../router.js';
import { useApi } from '../session.js';

interface CustomerForm {
  name: string;
  idNumber: string;
  phone: string;
  address: { province: string; city: string; detail: string };
  declaredMonthlyIncome: string;
  externalRef?: string;
  contacts?: { name: string; relation: string; phone: string }[];
}

/** Today in the lender's zone, as the API judges ID numbers' birth dates. */
function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

export function CreateCustomerPage() {
  const { t } = useI18n();
  const api = useApi();
  const { navigate } = useRouter();
  const { message } = App.useApp();
  const [form] = Form.useForm<CustomerForm>();
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // The same limits as the API's schema (src/server/customers/routes.ts).
  const text = (max: number): Rule[] => [
    { required: true, message: t('validate.required') },
    { max, message: t('validate.maxLength', { max }) },
    { pattern: /\S/, message: t('validate.blank') },
  ];
  const phone: Rule[] = [
    { required: true, message: t('validate.required') },
    { pattern: PHONE_PATTERN, message: t('validate.phone') },
  ];
  const idNumber: Rule[] = [
    { required: true, message: t('validate.required') },
    {
      validator: async (_rule, value: string | undefined) => {
        if (value === undefined || value === '') return;
        const found = idNumberProblem(value, todayInShanghai());
        if (found === undefined) return;
        if (found.kind === 'form') throw new Error(t('validate.idNumberForm'));
        if (found.kind === 'date') throw new Error(t('validate.idNumberDate', { date: found.date }));
        throw new Error(t('validate.idNumberCheck'));
      },
    },
  ];

  const submit = async (values: CustomerForm) => {
    setBusy(true);
    setProblem(null);
    const body = {
      name: values.name,
      idNumber: values.idNumber,
      phone: values.phone,
      address: values.address,
      declaredMonthlyIncome: values.declaredMonthlyIncome,
      contacts: values.contacts ?? [],
      ...(values.externalRef ? { externalRef: values.externalRef } : {}),
    };
    try {
      const created = await api.request<Customer>('POST', '/customers', {
        body,
        idempotencyKey: newIdempotencyKey(),
      });
      message.success(t('create.done', { id: created.customerId }));
      navigate(`/customers/${encodeURIComponent(created.customerId)}`);
    } catch (e) {
      setProblem(e);
      if (e instanceof ApiProblem) {
        const { fields } = problemsByField(e.errors);
        // Paths come from the server; a name the form does not have is ignored by setFields.
        form.setFields(fields as Parameters<typeof form.setFields>[0]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="page-create-customer">
      <Typography.Title level={2}>{t('create.title')}</Typography.Title>
      <Card>
        <ProblemAlert error={problem} />
        <Form<CustomerForm>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ contacts: [] }}
          data-testid="customer-form"
        >
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="name" label={t('customer.name')} rules={text(64)}>
                <Input data-testid="field-name" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="idNumber" label={t('customer.idNumber')} rules={idNumber}>
                <Input maxLength={18} data-testid="field-idNumber" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="phone" label={t('customer.phone')} rules={phone}>
                <Input maxLength={11} data-testid="field-phone" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={6}>
              <Form.Item name={['address', 'province']} label={t('customer.province')} rules={text(32)}>
                <Input data-testid="field-province" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name={['address', 'city']} label={t('customer.city')} rules={text(32)}>
                <Input data-testid="field-city" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name={['address', 'detail']} label={t('customer.detail')} rules={text(200)}>
                <Input data-testid="field-detail" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item
                name="declaredMonthlyIncome"
                label={t('customer.income')}
                rules={[
                  { required: true, message: t('validate.required') },
                  { pattern: AMOUNT_PATTERN, message: t('validate.amount') },
                ]}
              >
                <Input prefix="¥" data-testid="field-income" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="externalRef"
                label={t('customer.externalRef')}
                rules={[
                  { max: 64, message: t('validate.maxLength', { max: 64 }) },
                  { pattern: EXTERNAL_REF_PATTERN, message: t('validate.externalRef') },
                ]}
              >
                <Input data-testid="field-externalRef" />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Title level={5}>{t('customer.contacts')}</Typography.Title>
          <Form.List name="contacts">
            {(items, { add, remove }) => (
              <>
                {items.map((item) => (
                  <Space key={item.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item name={[item.name, 'name']} label={t('customer.contactName')} rules={text(64)}>
                      <Input data-testid={`contact-${item.name}-name`} />
                    </Form.Item>
                    <Form.Item
                      name={[item.name, 'relation']}
                      label={t('customer.relation')}
                      rules={[{ required: true, message: t('validate.required') }]}
                    >
                      <Select
                        style={{ width: 140 }}
                        data-testid={`contact-${item.name}-relation`}
                        options={CONTACT_RELATIONS.map((r) => ({
                          value: r,
                          label: t(`relation.${r}` as MessageKey),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[item.name, 'phone']} label={t('customer.contactPhone')} rules={phone}>
                      <Input maxLength={11} data-testid={`contact-${item.name}-phone`} />
                    </Form.Item>
                    <Button style={{ marginTop: 30 }} onClick={() => remove(item.name)}>
                      {t('customer.removeContact')}
                    </Button>
                  </Space>
                ))}
                <Button
                  onClick={() => add({ relation: 'friend' })}
                  disabled={items.length >= CONTACTS_MAX}
                  style={{ marginBottom: 24 }}
                  data-testid="add-contact"
                >
                  {t('customer.addContact')}
                </Button>
              </>
            )}
          </Form.List>
          <div>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="create-submit">
              {t('create.submit')}
            </Button>
          </div>
        </Form>
      </Card>
    </div>
  );
}
