import { useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Table, Typography } from 'antd';
import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, saveBlob, type IssuedCodes, type Paged, type RechargeCode } from '../../api';
import { useI18n } from '../../i18n';
import { useReport } from '../../errors';
import { useLoad } from '../../hooks';
import { money, StatusTag, when } from '../../format';

const statuses = ['active', 'used', 'expired', 'disabled'];

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain http on a LAN address is no secure context: fall back to a selected text area.
  const area = document.createElement('textarea');
  area.value = text;
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export default function Codes() {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const report = useReport();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<IssuedCodes | null>(null);
  const [status, setStatus] = useState<string>();
  const [batch, setBatch] = useState<string>();
  const [page, setPage] = useState(1);
  const { data, loading, reload } = useLoad(() => api.get<Paged<RechargeCode>>('/recharge/codes', { status, batch_id: batch, page, page_size: 20 }),
    [status, batch, page]);

  const generate = async (values: { amount: number; description?: string; batch_size: number; max_uses: number; expires_at?: Dayjs }) => {
    setBusy(true);
    try {
      const result = await api.post<IssuedCodes>('/recharge/codes', { ...values, expires_at: values.expires_at?.toISOString() });
      setIssued(result);
      void reload(true);
    } catch (e) {
      report(e, form);
    } finally {
      setBusy(false);
    }
  };

  const csv = (codes: IssuedCodes) => ['code,amount,expires_at', ...codes.codes.map(c => `${c.code},${money(c.amount)},${c.expires_at ?? ''}`)].join('\n') + '\n';

  const disable = async (id: string) => {
    try {
      await api.post(`/recharge/codes/${id}/disable`);
      void reload(true);
    } catch (e) {
      report(e);
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} xl={8}>
        <Card title={t('generateCodes')}>
          <Form form={form} layout="vertical" onFinish={generate} initialValues={{ batch_size: 10, max_uses: 1 }}>
            <Form.Item name="amount" label={t('amount')} rules={[{ required: true }]}>
              <InputNumber min={0.01} max={100000} precision={2} style={{ width: '100%' }} data-testid="code-amount" />
            </Form.Item>
            <Form.Item name="description" label={t('description')} rules={[{ max: 500 }]}><Input /></Form.Item>
            <Row gutter={8}>
              <Col span={12}><Form.Item name="batch_size" label={t('batchSize')}><InputNumber min={1} max={1000} style={{ width: '100%' }} data-testid="code-count" /></Form.Item></Col>
              <Col span={12}><Form.Item name="max_uses" label={t('maxUses')}><InputNumber min={1} max={1000} style={{ width: '100%' }} /></Form.Item></Col>
            </Row>
            <Form.Item name="expires_at" label={t('expiresAt')}><DatePicker showTime style={{ width: '100%' }} /></Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>{t('generate')}</Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={16}>
        <Card title={t('menuCodes')} extra={
          <Space>
            {batch && <Button size="small" onClick={() => setBatch(undefined)}>{t('batch')}: {batch.slice(0, 8)} ✕</Button>}
            <Select allowClear placeholder={t('allStatuses')} style={{ width: 140 }} value={status} onChange={v => { setStatus(v); setPage(1); }}
              options={statuses.map(s => ({ value: s, label: tx('st_' + s) }))} />
          </Space>
        }>
          <Table<RechargeCode> rowKey="id" size="small" loading={loading && !data} dataSource={data?.items}
            pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: n => `${n}` }}
            columns={[
              { title: t('code'), dataIndex: 'code', render: c => <span className="owl-codes">{c}</span> },
              { title: t('amount'), dataIndex: 'amount', render: money },
              { title: t('status'), dataIndex: 'status', render: s => <StatusTag value={s} /> },
              { title: t('usedCount'), render: (_, c) => `${c.used_count} / ${c.max_uses}` },
              { title: t('batch'), dataIndex: 'batch_id', render: b => <Typography.Link onClick={() => { setBatch(b); setPage(1); }}>{b.slice(0, 8)}</Typography.Link> },
              { title: t('description'), dataIndex: 'description', ellipsis: true },
              { title: t('expiresAt'), dataIndex: 'expires_at', render: when },
              { title: t('createdAt'), dataIndex: 'created_at', render: when },
              { title: t('actions'), render: (_, c) => c.status === 'active' && (
                <Popconfirm title={t('confirmDisable')} onConfirm={() => disable(c.id)}><Button size="small" danger>{t('disable')}</Button></Popconfirm>
              ) },
            ]} />
        </Card>
      </Col>
      <Modal open={issued !== null} title={`${t('generateCodes')} · ${issued?.total_generated ?? 0} × ${money(issued?.codes[0]?.amount)}`}
        onCancel={() => setIssued(null)} maskClosable={false} width={560} footer={[
          <Button key="copy" icon={<CopyOutlined />} onClick={() => copyText(issued!.codes.map(c => c.code).join('\n')).then(() => message.success(t('copied')))}>{t('copy')}</Button>,
          <Button key="csv" icon={<DownloadOutlined />} onClick={() => saveBlob(new Blob([csv(issued!)], { type: 'text/csv' }), `owl-codes-${issued!.batch_id}.csv`)}>{t('downloadCsv')}</Button>,
          <Button key="close" type="primary" onClick={() => setIssued(null)}>{t('close')}</Button>,
        ]}>
        <Alert type="warning" showIcon message={t('codesOnce')} style={{ marginBottom: 12 }} />
        <pre className="owl-codes" data-testid="issued-codes" style={{ maxHeight: 320, overflow: 'auto', background: '#f5f5f5', padding: 12 }}>
          {issued?.codes.map(c => c.code).join('\n')}
        </pre>
      </Modal>
    </Row>
  );
}
