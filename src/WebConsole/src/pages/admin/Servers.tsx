import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Space, Switch, Table, Typography } from 'antd';
import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { api, type Server } from '../../api';
import { useI18n } from '../../i18n';
import { useReport } from '../../errors';
import { useLoad } from '../../hooks';
import { StatusTag, when } from '../../format';
import { copyText } from './Codes';

interface Created { server: Server; agent_token: string }

export default function Servers() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReport();
  const [form] = Form.useForm();
  const [editing, setEditing] = useState<Server | 'new' | null>(null);
  const [token, setToken] = useState<Created | null>(null);
  const [saving, setSaving] = useState(false);
  const { data, loading, reload } = useLoad(() => api.get<Server[]>('/gpu/servers'), [], 5000);

  const open = (server: Server | 'new') => {
    setEditing(server);
    form.resetFields();
    if (server !== 'new') {
      form.setFieldsValue(server);
    }
  };

  const save = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      if (editing === 'new') {
        setToken(await api.post<Created>('/gpu/servers', values));
      } else {
        await api.put<Server>(`/gpu/servers/${editing!.id}`, values);
        void message.success(t('saved'));
      }
      setEditing(null);
      void reload(true);
    } catch (e) {
      report(e, form);
    } finally {
      setSaving(false);
    }
  };

  const call = async (action: () => Promise<unknown>) => {
    try {
      await action();
      void reload(true);
    } catch (e) {
      report(e);
    }
  };

  return (
    <Card title={t('menuServers')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('addServer')}</Button>}>
      <Table<Server> rowKey="id" size="middle" loading={loading && !data} dataSource={data} pagination={false} locale={{ emptyText: t('noServers') }}
        columns={[
          { title: t('servers'), dataIndex: 'name' },
          { title: t('host'), dataIndex: 'host' },
          { title: t('status'), dataIndex: 'status', render: s => <StatusTag value={s} /> },
          { title: t('currentTasks'), render: (_, s) => `${s.current_tasks} / ${s.max_concurrent_tasks}` },
          { title: t('gpuCount'), dataIndex: 'gpu_count' },
          { title: t('totalMemory'), dataIndex: 'total_memory' },
          { title: t('lastHeartbeat'), dataIndex: 'last_heartbeat', render: when },
          { title: t('maintenance'), render: (_, s) => (
            <Switch checked={s.status === 'maintenance'} onChange={on => call(() => api.put(`/gpu/servers/${s.id}`, { maintenance: on }))} />
          ) },
          { title: t('actions'), render: (_, s) => (
            <Space>
              <Button size="small" onClick={() => open(s)}>{t('edit')}</Button>
              <Popconfirm title={t('confirmRotate')} onConfirm={() => call(async () => setToken(await api.post<Created>(`/gpu/servers/${s.id}/rotate-token`)))}>
                <Button size="small">{t('rotateToken')}</Button>
              </Popconfirm>
              <Popconfirm title={t('confirmDelete')} onConfirm={() => call(() => api.del(`/gpu/servers/${s.id}`))}>
                <Button size="small" danger>{t('delete')}</Button>
              </Popconfirm>
            </Space>
          ) },
        ]} />
      <Modal open={editing !== null} title={editing === 'new' ? t('addServer') : t('editServer')} onCancel={() => setEditing(null)}
        onOk={save} confirmLoading={saving} okText={t('save')} cancelText={t('cancel')} forceRender>
        <Form form={form} layout="vertical" initialValues={{ gpu_count: 1, max_concurrent_tasks: 1, total_memory: 24 }}>
          <Form.Item name="name" label={t('servers')} rules={[{ required: true }, { max: 100 }]}><Input /></Form.Item>
          <Form.Item name="host" label={t('host')} rules={[{ required: true }, { max: 255 }]}><Input /></Form.Item>
          <Space>
            <Form.Item name="gpu_count" label={t('gpuCount')}><InputNumber min={0} max={64} /></Form.Item>
            <Form.Item name="max_concurrent_tasks" label={t('maxTasks')}><InputNumber min={1} max={256} /></Form.Item>
            <Form.Item name="total_memory" label={t('totalMemory')}><InputNumber min={0} max={100000} /></Form.Item>
          </Space>
          <Form.Item name="description" label={t('description')} rules={[{ max: 1000 }]}><Input.TextArea rows={2} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={token !== null} title={`${t('agentToken')} · ${token?.server.name ?? ''}`} maskClosable={false} onCancel={() => setToken(null)}
        footer={[
          <Button key="copy" icon={<CopyOutlined />} onClick={() => copyText(token!.agent_token).then(() => message.success(t('copied')))}>{t('copy')}</Button>,
          <Button key="close" type="primary" onClick={() => setToken(null)}>{t('close')}</Button>,
        ]}>
        <Alert type="warning" showIcon message={t('tokenOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph className="owl-codes" style={{ wordBreak: 'break-all', background: '#f5f5f5', padding: 12 }} data-testid="agent-token">
          {token?.agent_token}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
