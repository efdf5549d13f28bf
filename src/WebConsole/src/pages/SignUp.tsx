import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Form, Input } from 'antd';
import { api, type User } from '../api';
import { useI18n } from '../i18n';
import { useReport } from '../errors';
import { AuthFrame } from './SignIn';

export default function SignUp() {
  const { t } = useI18n();
  const report = useReport();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);

  const submit = async (values: { email: string; username: string; password: string; full_name?: string }) => {
    setBusy(true);
    try {
      const user = await api.post<User>('/auth/register', values);
      navigate(`/login?registered=1&email=${encodeURIComponent(user.email)}`);
    } catch (e) {
      report(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame>
      <Card title={t('signUp')}>
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="email" label={t('email')} rules={[{ required: true }, { type: 'email' }]}>
            <Input autoComplete="email" />
          </Form.Item>
          <Form.Item name="username" label={t('username')} rules={[{ required: true }, { pattern: /^[A-Za-z0-9_-]{3,50}$/, message: '3-50: A-Z a-z 0-9 _ -' }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item name="full_name" label={t('fullName')} rules={[{ max: 100 }]}>
            <Input autoComplete="name" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true }, { min: 6, max: 128 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t('signUp')}</Button>
        </Form>
        <div style={{ marginTop: 16 }}>{t('haveAccount')} <Link to="/login">{t('signIn')}</Link></div>
      </Card>
    </AuthFrame>
  );
}
