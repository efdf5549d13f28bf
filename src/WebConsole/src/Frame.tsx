import { Outlet, useLocation, useNavigate } from 'react-router';
import { Suspense } from 'react';
import { Button, Dropdown, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import {
  AppstoreOutlined, AuditOutlined, ClusterOutlined, CreditCardOutlined, DashboardOutlined, FileTextOutlined,
  GlobalOutlined, KeyOutlined, PlusCircleOutlined, ReadOutlined, SettingOutlined, TeamOutlined, UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useAuth } from './auth';
import { useI18n } from './i18n';
import { money } from './format';

const loading = <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>;

/** The signed-in frame: menu, header (balance, API docs, language, account) and the page. */
export default function Frame() {
  const { user, isAdmin, signOut } = useAuth();
  const { t, tx, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const items = [
    { key: '/', icon: <DashboardOutlined />, label: t('menuDashboard') },
    { key: '/tasks/new', icon: <PlusCircleOutlined />, label: t('menuSubmit') },
    { key: '/tasks', icon: <UnorderedListOutlined />, label: t('menuTasks') },
    { key: '/recharge', icon: <CreditCardOutlined />, label: t('menuRecharge') },
    { key: '/cluster', icon: <ClusterOutlined />, label: t('menuCluster') },
    { key: '/profile', icon: <UserOutlined />, label: t('menuProfile') },
    ...(isAdmin ? [{
      key: 'admin', icon: <AppstoreOutlined />, label: t('menuAdmin'), children: [
        { key: '/admin/users', icon: <TeamOutlined />, label: t('menuUsers') },
        { key: '/admin/codes', icon: <KeyOutlined />, label: t('menuCodes') },
        { key: '/admin/servers', icon: <ClusterOutlined />, label: t('menuServers') },
        { key: '/admin/config', icon: <SettingOutlined />, label: t('menuConfig') },
        { key: '/admin/logs', icon: <AuditOutlined />, label: t('menuLogs') },
      ],
    }] : []),
  ];
  const selected = location.pathname.startsWith('/tasks/') && location.pathname !== '/tasks/new' ? '/tasks' : location.pathname;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={220}>
        <div className="owl-brand"><img src="/owl.svg" alt="" />{t('appName')}</div>
        <Menu theme="dark" mode="inline" selectedKeys={[selected]} defaultOpenKeys={['admin']} items={items}
          onClick={e => navigate(e.key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="owl-header">
          {user && <Typography.Text data-testid="header-balance">{t('availableBalance')}: <b>{money(user.available_balance)}</b></Typography.Text>}
          <Button type="link" icon={<ReadOutlined />} href="/api/docs" target="_blank">{t('menuApiDocs')}</Button>
          <Button icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')} data-testid="lang">
            {t('language')}
          </Button>
          <Dropdown menu={{
            items: [
              { key: 'profile', icon: <UserOutlined />, label: t('menuProfile'), onClick: () => navigate('/profile') },
              { key: 'out', icon: <FileTextOutlined />, label: t('signOut'), onClick: () => signOut() },
            ],
          }}>
            <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
              <UserOutlined />{user?.username}{user && user.role !== 'user' && <Tag color="blue">{tx('role_' + user.role)}</Tag>}
            </Space>
          </Dropdown>
        </Layout.Header>
        <Layout.Content className="owl-content">
          <Suspense fallback={loading}><Outlet /></Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
