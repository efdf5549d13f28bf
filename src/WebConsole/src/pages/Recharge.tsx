import { useRef, useState } from 'react';
import { App, Button, Card, Col, Form, Input, Row, Statistic, Table } from 'antd';
import { api, newKey, type Paged, type RechargeRecord } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { describe, useReport } from '../errors';
import { useLoad } from '../hooks';
import { money, StatusTag, when } from '../format';

export default function Recharge() {
  const { t, tx } = useI18n();
  const { user, refresh } = useAuth();
  const { message } = App.useApp();
  const report = useReport();
  const [form] = Form.useForm<{ code: string }>();
  const [busy, setBusy] = useState(false);
  const [page, setPage] = useState(1);
  const key = useRef(newKey());
  const { data, loading, reload } = useLoad(() => api.get<Paged<RechargeRecord>>('/recharge/records', { page, page_size: 10 }), [page]);

  const redeem = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      const result = await api.post<{ amount: number; new_balance: number }>('/recharge/redeem', { code }, { 'Idempotency-Key': key.current });
      key.current = newKey();
      void message.success(t('redeemed', { amount: money(result.amount), balance: money(result.new_balance) }));
      form.resetFields();
      await Promise.all([refresh(), reload(true)]);
    } catch (e) {
      if ((e as { code?: string }).code === 'INVALID_RECHARGE_CODE') {
        form.setFields([{ name: 'code', errors: [describe(e, t, tx)] }]);
      } else {
        report(e, form);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={9}>
        <Card title={t('redeemCode')}>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={12}><Statistic title={t('balance')} value={money(user?.balance)} /></Col>
            <Col span={12}><Statistic title={t('availableBalance')} value={money(user?.available_balance)} /></Col>
          </Row>
          <Form form={form} layout="vertical" onFinish={redeem} onValuesChange={() => { key.current = newKey(); }}>
            <Form.Item name="code" label={t('code')} rules={[{ required: true }]}>
              <Input placeholder="OWL-XXXX-XXXX-XXXX" className="owl-codes" autoComplete="off" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>{t('redeem')}</Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={15}>
        <Card title={t('rechargeHistory')}>
          <Table<RechargeRecord> rowKey="id" size="small" loading={loading && !data} dataSource={data?.items}
            pagination={{ current: page, pageSize: 10, total: data?.total ?? 0, onChange: setPage }}
            columns={[
              { title: t('code'), dataIndex: 'code', render: c => <span className="owl-codes">{c}</span> },
              { title: t('amount'), dataIndex: 'amount', render: money },
              { title: t('status'), dataIndex: 'status', render: s => <StatusTag value={s} /> },
              { title: t('time'), dataIndex: 'created_at', render: when },
            ]} />
        </Card>
      </Col>
    </Row>
  );
}
