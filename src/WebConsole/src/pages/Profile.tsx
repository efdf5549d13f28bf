import { useState } from 'react';
import { App, Button, Card, Col, Descriptions, Form, Input, Row } from 'antd';
import { api, session, type LoginResult, type User } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { useReport } from '../errors';
import { money, StatusTag, when } from '../format';

export default function Profile() {
  const { t } = useI18n();
  const { user, refresh } = useAuth();
  const { message } = App.useApp();
  const report = useReport();
  const [profile] = Form.useForm();
  const [password] = Form.useForm();
  const [busy, setBusy] = useState<'profile' | 'password' | null>(null);

  const saveProfile = async (values: { username: string; full_name?: string }) => {
    setBusy('profile');
    try {
      await api.put<User>('/users/me', values);
      await refresh();
      void message.success(t('saved'));
    } catch (e) {
      report(e, profile);
    } finally {
      setBusy(null);
    }
  };

  const changePassword = async (values: { current_password: string; new_password: string }) => {
    setBusy('password');
    try {
      // Every earlier token stops working; the answer carries a fresh one, so the user stays signed in.
      const login = await api.post<LoginResult>('/users/change-password', {
        current_password: values.current_password, new_password: values.new_password,
      });
      session.save(login.access_token, login.expires_in);
      password.resetFields();
      void message.success(t('passwordChanged'));
    } catch (e) {
      report(e, password);
    } finally {
      setBusy(null);
    }
  };

  if (!user) {
    return null;
  }
  return (
    <Row gutter={16}>
      <Col xs={24} lg={12}>
        <Card title={t('profile')}>
          <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('email')}>{user.email}</Descriptions.Item>
            <Descriptions.Item label={t('role')}><StatusTag value={user.role} prefix="role_" /></Descriptions.Item>
            <Descriptions.Item label={t('balance')}>{money(user.balance)}</Descriptions.Item>
            <Descriptions.Item label={t('createdAt')}>{when(user.created_at)}</Descriptions.Item>
            <Descriptions.Item label={t('lastLogin')}>{when(user.last_login)}</Descriptions.Item>
          </Descriptions>
          <Form form={profile} layout="vertical" onFinish={saveProfile} initialValues={{ username: user.username, full_name: user.full_name ?? '' }}>
            <Form.Item name="username" label={t('username')} rules={[{ required: true }, { pattern: /^[A-Za-z0-9_-]{3,50}$/, message: '3-50: A-Z a-z 0-9 _ -' }]}>
              <Input />
            </Form.Item>
            <Form.Item name="full_name" label={t('fullName')} rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy === 'profile'}>{t('save')}</Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('changePassword')}>
          <Form form={password} layout="vertical" onFinish={changePassword}>
            <Form.Item name="current_password" label={t('currentPassword')} rules={[{ required: true }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item name="new_password" label={t('newPassword')} rules={[{ required: true }, { min: 6, max: 128 }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item name="confirm" label={t('confirmPassword')} dependencies={['new_password']} rules={[
              { required: true },
              ({ getFieldValue }) => ({
                validator: (_, value) => (!value || getFieldValue('new_password') === value ? Promise.resolve() : Promise.reject(new Error(t('passwordsDiffer')))),
              }),
            ]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy === 'password'}>{t('changePassword')}</Button>
          </Form>
        </Card>
      </Col>
    </Row>
  );
}
