import { Button, Select, Space, Typography } from 'antd';
import { useI18n } from '../i18n.js';
import { PAGE_SIZES } from './usePaged.js';

export function PagerBar(props: {
  pageNumber: number;
  hasNext: boolean;
  hasPrevious: boolean;
  next: () => void;
  previous: () => void;
  limit: number;
  changeLimit: (n: number) => void;
}) {
  const { t, count } = useI18n();
  return (
    <Space style={{ marginTop: 16 }}>
      <Button onClick={props.previous} disabled={!props.hasPrevious} data-testid="page-previous">
        {t('common.previous')}
      </Button>
      <Typography.Text data-testid="page-number">{count(props.pageNumber)}</Typography.Text>
      <Button onClick={props.next} disabled={!props.hasNext} data-testid="page-next">
        {t('common.next')}
      </Button>
      <Typography.Text type="secondary">{t('common.pageSize')}</Typography.Text>
      <Select
        value={props.limit}
        onChange={props.changeLimit}
        options={PAGE_SIZES.map((n) => ({ value: n, label: count(n) }))}
        style={{ width: 90 }}
      />
    </Space>
  );
}
