import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import { api, newKey, type Task, type TaskTypes } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { useReport } from '../errors';
import { useLoad } from '../hooks';
import { money } from '../format';

interface Values { title: string; description?: string; task_type: string; priority: number; estimated_duration?: number; config?: string }

export default function SubmitTask() {
  const { t } = useI18n();
  const { user, refresh } = useAuth();
  const { message } = App.useApp();
  const report = useReport();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  // One key per filled-in form: a double click or a retry after a lost answer submits the task once.
  const key = useRef(newKey());
  const { data: types } = useLoad(() => api.get<TaskTypes>('/tasks/types'), []);
  const taskType = Form.useWatch('task_type', form);
  const chosen = types?.types.find(x => x.task_type === taskType);
  const short = chosen !== undefined && user !== null && chosen.hold > user.available_balance;

  const submit = async (values: Values) => {
    let config: unknown = {};
    if (values.config?.trim()) {
      try {
        config = JSON.parse(values.config);
      } catch {
        config = null;
      }
      if (config === null || typeof config !== 'object' || Array.isArray(config)) {
        form.setFields([{ name: 'config', errors: [t('invalidJson')] }]);
        return;
      }
    }
    setBusy(true);
    try {
      const task = await api.post<Task>('/tasks', { ...values, config }, { 'Idempotency-Key': key.current });
      key.current = newKey();
      void message.success(t('submitted'));
      void refresh();
      navigate(`/tasks/${task.id}`);
    } catch (e) {
      report(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={14}>
        <Card title={t('menuSubmit')}>
          {types?.maintenance_mode && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('errMaintenance', { message: types.maintenance_message ?? '' })} />}
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ priority: 1 }} onValuesChange={() => { key.current = newKey(); }}>
            <Form.Item name="task_type" label={t('taskType')} rules={[{ required: true }]}>
              <Select data-testid="task-type" options={types?.types.map(x => ({
                value: x.task_type, label: `${x.task_type} · ${money(x.price_per_minute)} / min`,
              }))} />
            </Form.Item>
            <Form.Item name="title" label={t('title')} rules={[{ required: true }, { max: 200 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="description" label={t('description')} rules={[{ max: 2000 }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="priority" label={t('priority')}>
                  <Select options={[1, 2, 3, 4, 5].map(p => ({ value: p, label: String(p) }))} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="estimated_duration" label={t('estimatedDuration')}>
                  <InputNumber min={1} max={10080} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="config" label={t('config')}>
              <Input.TextArea rows={4} placeholder='{"video_url": "https://…"}' className="owl-codes" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} disabled={short}>{t('submit')}</Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title={t('hold')}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('pricePerMinute')}>{chosen ? money(chosen.price_per_minute) : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('hold')}><Typography.Text strong data-testid="hold">{chosen ? money(chosen.hold) : '—'}</Typography.Text></Descriptions.Item>
            <Descriptions.Item label={t('availableBalance')}>{money(user?.available_balance)}</Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary">{t('holdExplain', { minutes: Math.round((types?.default_task_timeout ?? 3600) / 60) })}</Typography.Paragraph>
          {short && <Alert type="error" showIcon message={t('holdShort')} action={<Button size="small" onClick={() => navigate('/recharge')}>{t('menuRecharge')}</Button>} />}
        </Card>
      </Col>
    </Row>
  );
}
