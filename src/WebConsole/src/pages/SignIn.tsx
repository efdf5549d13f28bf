import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { api, type LoginResult } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { useReport } from '../errors';

export function AuthFrame({ children }: { children: React.ReactNode }) {
  const { t, lang, setLang } = useI18n();
  return (
    <div className="owl-auth">
      <Space direction="vertical" align="center" size="large">
        <Space>
          <img src="/owl.svg" alt="" width={48} height={48} />
          <Typography.Title level={2} style={{ color: '#fff', margin: 0 }}>{t('appName')}</Typography.Title>
        </Space>
        {children}
        <Button ghost icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')} data-testid="lang">
          {t('language')}
        </Button>
      </Space>
    </div>
  );
}

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const report = useReport();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => form.setFieldValue('email', params.get('email') ?? undefined), [form, params]);

  const submit = async (values: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(await api.post<LoginResult>('/auth/login', values));
      const next = params.get('next');
      navigate(next && next.startsWith('/') ? next : '/', { replace: true });
    } catch (e) {
      if ((e as { code?: string }).code === 'INVALID_CREDENTIALS') {
        setError((e as Error).message);
      } else {
        report(e, form);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame>
      <Card title={t('signIn')}>
        {params.get('expired') && <Alert type="warning" showIcon message={t('sessionExpired')} style={{ marginBottom: 16 }} />}
        {params.get('registered') && <Alert type="success" showIcon message={t('registered')} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="email" label={t('email')} rules={[{ required: true }, { type: 'email' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t('signIn')}</Button>
        </Form>
        <div style={{ marginTop: 16 }}>{t('noAccount')} <Link to="/register">{t('signUp')}</Link></div>
      </Card>
    </AuthFrame>
  );
}
