import { useEffect, useState } from 'react';
import { App, Button, Card, Col, Form, Input, InputNumber, Row, Space, Switch, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { api, type SystemConfig } from '../../api';
import { useI18n } from '../../i18n';
import { useReport } from '../../errors';
import { useLoad } from '../../hooks';
import { when } from '../../format';

type Values = Omit<SystemConfig, 'task_prices' | 'version' | 'updated_at'> & { prices: { type: string; price: number }[] };

const keys = ['max_concurrent_tasks_per_user', 'default_task_timeout', 'maintenance_mode', 'maintenance_message',
  'heartbeat_timeout_seconds', 'log_retention_days'] as const;

export default function Config() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReport();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const { data, setData } = useLoad(() => api.get<SystemConfig>('/admin/config'), []);

  useEffect(() => {
    if (data) {
      form.setFieldsValue({ ...data, prices: Object.entries(data.task_prices).map(([type, price]) => ({ type, price })) });
    }
  }, [data, form]);

  // Only the keys that changed are sent: a partial update, as the API takes it.
  const save = async (values: Values) => {
    const change: Record<string, unknown> = {};
    for (const key of keys) {
      if (values[key] !== data![key]) {
        change[key] = values[key];
      }
    }
    const prices = Object.fromEntries(values.prices.map(p => [p.type, p.price]));
    if (JSON.stringify(prices) !== JSON.stringify(data!.task_prices)) {
      change.task_prices = prices;
    }
    setSaving(true);
    try {
      setData(await api.put<SystemConfig>('/admin/config', change));
      void message.success(t('saved'));
    } catch (e) {
      report(e, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('systemConfig')} extra={data && <Typography.Text type="secondary">v{data.version} · {when(data.updated_at)}</Typography.Text>}>
      <Form form={form} layout="vertical" onFinish={save} style={{ maxWidth: 900 }}>
        <Row gutter={16}>
          <Col xs={24} md={8}><Form.Item name="max_concurrent_tasks_per_user" label={t('maxConcurrentTasks')}><InputNumber min={1} max={1000} style={{ width: '100%' }} /></Form.Item></Col>
          <Col xs={24} md={8}><Form.Item name="default_task_timeout" label={t('defaultTaskTimeout')}><InputNumber min={10} max={604800} style={{ width: '100%' }} /></Form.Item></Col>
          <Col xs={24} md={8}><Form.Item name="heartbeat_timeout_seconds" label={t('heartbeatTimeout')}><InputNumber min={3} max={3600} style={{ width: '100%' }} /></Form.Item></Col>
          <Col xs={24} md={8}><Form.Item name="log_retention_days" label={t('logRetentionDays')}><InputNumber min={1} max={3650} style={{ width: '100%' }} /></Form.Item></Col>
          <Col xs={24} md={4}><Form.Item name="maintenance_mode" label={t('maintenanceMode')} valuePropName="checked"><Switch /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="maintenance_message" label={t('maintenanceMessage')} rules={[{ max: 500 }]}><Input /></Form.Item></Col>
        </Row>
        <Typography.Title level={5}>{t('taskPrices')}</Typography.Title>
        <Form.List name="prices">
          {(fields, { add, remove }) => (
            <>
              {fields.map(field => (
                <Space key={field.key} align="baseline">
                  <Form.Item name={[field.name, 'type']} rules={[{ required: true }, { pattern: /^[a-z0-9_]{1,64}$/, message: 'a-z 0-9 _' }]}>
                    <Input placeholder={t('taskType')} style={{ width: 220 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'price']} rules={[{ required: true }]}>
                    <InputNumber min={0} max={10000} step={0.01} style={{ width: 140 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Form.Item><Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ type: '', price: 0 })}>{t('addPrice')}</Button></Form.Item>
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={saving}>{t('save')}</Button>
      </Form>
    </Card>
  );
}
