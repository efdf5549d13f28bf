import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table } from 'antd';
import { api, type Paged, type User } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { useReport } from '../../errors';
import { useLoad } from '../../hooks';
import { money, StatusTag, when } from '../../format';

const roles = ['user', 'admin', 'super_admin'];

export default function Users() {
  const { t, tx } = useI18n();
  const { user: me, refresh } = useAuth();
  const { message } = App.useApp();
  const report = useReport();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<string>();
  const [active, setActive] = useState<string>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<User | null>(null);
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const { data, loading, reload } = useLoad(() => api.get<Paged<User>>('/admin/users', {
    search, role, is_active: active, page, page_size: 20,
  }), [search, role, active, page]);

  const superAdmin = me?.role === 'super_admin';
  // The rules the API enforces, shown before the user tries: only a super_admin changes roles or edits admins,
  // and nobody demotes or deactivates themselves.
  const self = editing?.id === me?.id;
  const locked = editing !== null && !superAdmin && editing.role !== 'user';

  const open = (u: User) => {
    setEditing(u);
    form.setFieldsValue({ role: u.role, is_active: u.is_active, balance: u.balance, username: u.username, full_name: u.full_name ?? '' });
  };

  const save = async () => {
    const values = await form.validateFields();
    const changes: Record<string, unknown> = {};
    for (const key of ['role', 'is_active', 'balance', 'username', 'full_name'] as const) {
      const before = key === 'full_name' ? editing!.full_name ?? '' : editing![key];
      if (values[key] !== before) {
        changes[key] = values[key];
      }
    }
    setSaving(true);
    try {
      await api.put<User>(`/admin/users/${editing!.id}`, changes);
      void message.success(t('saved'));
      setEditing(null);
      void reload(true);
      if (self) {
        void refresh();
      }
    } catch (e) {
      report(e, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('menuUsers')} extra={
      <Space wrap>
        <Input.Search allowClear placeholder={t('searchUsers')} style={{ width: 240 }} onSearch={v => { setSearch(v); setPage(1); }} data-testid="user-search" />
        <Select allowClear placeholder={t('allRoles')} style={{ width: 140 }} value={role} onChange={v => { setRole(v); setPage(1); }}
          options={roles.map(r => ({ value: r, label: tx('role_' + r) }))} />
        <Select allowClear placeholder={t('all')} style={{ width: 110 }} value={active} onChange={v => { setActive(v); setPage(1); }}
          options={[{ value: 'true', label: t('active') }, { value: 'false', label: t('inactive') }]} />
      </Space>
    }>
      <Table<User> rowKey="id" size="middle" loading={loading && !data} dataSource={data?.items}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: n => `${n}` }}
        columns={[
          { title: t('email'), dataIndex: 'email' },
          { title: t('username'), dataIndex: 'username' },
          { title: t('fullName'), dataIndex: 'full_name' },
          { title: t('role'), dataIndex: 'role', render: r => <StatusTag value={r} prefix="role_" /> },
          { title: t('status'), dataIndex: 'is_active', render: a => (a ? t('active') : <StatusTag value="disabled" />) },
          { title: t('balance'), dataIndex: 'balance', render: money },
          { title: t('lastLogin'), dataIndex: 'last_login', render: when },
          { title: t('actions'), render: (_, u) => <Button size="small" onClick={() => open(u)} data-testid={`edit-${u.username}`}>{t('edit')}</Button> },
        ]} />
      <Modal open={editing !== null} title={`${t('editUser')} · ${editing?.email ?? ''}`} onCancel={() => setEditing(null)}
        onOk={save} confirmLoading={saving} okText={t('save')} cancelText={t('cancel')} destroyOnHidden forceRender>
        {locked && <Alert type="info" showIcon message={t('onlySuperAdmin')} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" disabled={locked}>
          <Form.Item name="role" label={t('role')}>
            <Select disabled={!superAdmin || self} options={roles.map(r => ({ value: r, label: tx('role_' + r) }))} />
          </Form.Item>
          <Form.Item name="is_active" label={t('active')} valuePropName="checked">
            <Switch disabled={self} />
          </Form.Item>
          <Form.Item name="balance" label={t('balance')} extra={t('balanceHint')} rules={[{ required: true }]}>
            <InputNumber min={0} max={1_000_000_000} precision={2} step={10} style={{ width: '100%' }} data-testid="balance-input" />
          </Form.Item>
          <Form.Item name="username" label={t('username')} rules={[{ required: true }, { pattern: /^[A-Za-z0-9_-]{3,50}$/, message: '3-50: A-Z a-z 0-9 _ -' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="full_name" label={t('fullName')} rules={[{ max: 100 }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
