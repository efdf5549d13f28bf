import { Link, useNavigate } from 'react-router';
import { Button, Card, Col, List, Progress, Row, Statistic, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, type Paged, type RechargeRecord, type Task } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { useLoad } from '../hooks';
import { money, StatusTag, when } from '../format';

interface Stats { total_tasks: number; completed_tasks: number; failed_tasks: number; total_cost: number; current_balance: number }
interface AdminStats { total_users: number; active_users: number; running_tasks: number; total_gpu_servers: number; online_gpu_servers: number; total_revenue: number }

export default function Dashboard() {
  const { t } = useI18n();
  const { user, isAdmin, refresh } = useAuth();
  const navigate = useNavigate();
  const { data } = useLoad(async () => {
    const [stats, running, pending, recent, recharges, admin] = await Promise.all([
      api.get<Stats>('/users/stats'),
      api.get<Paged<Task>>('/tasks', { status: 'running', page_size: 10 }),
      api.get<Paged<Task>>('/tasks', { status: 'pending', page_size: 10, sort_by: 'created_at', sort_order: 'asc' }),
      api.get<Paged<Task>>('/tasks', { sort_by: 'updated_at', sort_order: 'desc', page_size: 5 }),
      api.get<Paged<RechargeRecord>>('/recharge/records', { page_size: 5 }),
      isAdmin ? api.get<AdminStats>('/admin/stats') : Promise.resolve(null),
      refresh(),
    ]);
    return { stats, running, pending, recent, recharges, admin };
  }, [isAdmin], 5000);

  const active = [...(data?.running.items ?? []), ...(data?.pending.items ?? [])];
  return (
    <>
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={4}><Card><Statistic title={t('balance')} value={money(user?.balance)} data-testid="balance" /></Card></Col>
        <Col xs={12} lg={4}><Card><Statistic title={t('availableBalance')} value={money(user?.available_balance)} data-testid="available" /></Card></Col>
        <Col xs={12} lg={4}><Card><Statistic title={t('runningTasks')} value={data?.running.total ?? 0} /></Card></Col>
        <Col xs={12} lg={4}><Card><Statistic title={t('queuedTasks')} value={data?.pending.total ?? 0} /></Card></Col>
        <Col xs={12} lg={4}><Card><Statistic title={t('completedTasks')} value={data?.stats.completed_tasks ?? 0} suffix={`/ ${data?.stats.total_tasks ?? 0}`} /></Card></Col>
        <Col xs={12} lg={4}><Card><Statistic title={t('totalCost')} value={money(data?.stats.total_cost)} /></Card></Col>
      </Row>
      {data?.admin && (
        <Card title={t('adminStats')} size="small" style={{ marginTop: 16 }}>
          <Row gutter={16}>
            <Col span={4}><Statistic title={t('totalUsers')} value={data.admin.total_users} /></Col>
            <Col span={4}><Statistic title={t('activeUsers')} value={data.admin.active_users} /></Col>
            <Col span={4}><Statistic title={t('runningTasks')} value={data.admin.running_tasks} /></Col>
            <Col span={6}><Statistic title={t('onlineServers')} value={data.admin.online_gpu_servers} suffix={`/ ${data.admin.total_gpu_servers}`} /></Col>
            <Col span={6}><Statistic title={t('totalRevenue')} value={money(data.admin.total_revenue)} /></Col>
          </Row>
        </Card>
      )}
      <Card title={`${t('runningTasks')} / ${t('queuedTasks')}`} style={{ marginTop: 16 }}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tasks/new')}>{t('menuSubmit')}</Button>}>
        <Table<Task> rowKey="id" size="small" pagination={false} dataSource={active} locale={{ emptyText: t('none') }}
          onRow={task => ({ onClick: () => navigate(`/tasks/${task.id}`), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('title'), dataIndex: 'title' },
            { title: t('taskType'), dataIndex: 'task_type' },
            { title: t('status'), dataIndex: 'status', render: s => <StatusTag value={s} /> },
            { title: t('progress'), dataIndex: 'progress', render: p => <Progress percent={p} size="small" style={{ width: 140 }} /> },
            { title: t('createdAt'), dataIndex: 'created_at', render: when },
          ]} />
      </Card>
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <Card title={t('recentTasks')} extra={<Link to="/tasks">{t('viewAll')}</Link>}>
            <List dataSource={data?.recent.items ?? []} locale={{ emptyText: t('none') }} renderItem={task => (
              <List.Item extra={<StatusTag value={task.status} />}>
                <List.Item.Meta title={<Link to={`/tasks/${task.id}`}>{task.title}</Link>}
                  description={`${task.task_type} · ${when(task.updated_at)} · ${t('cost')} ${money(task.cost)}`} />
              </List.Item>
            )} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('recentRecharges')} extra={<Link to="/recharge">{t('viewAll')}</Link>}>
            <List dataSource={data?.recharges.items ?? []} locale={{ emptyText: t('none') }} renderItem={r => (
              <List.Item extra={<Typography.Text type="success">+{money(r.amount)}</Typography.Text>}>
                <List.Item.Meta title={<span className="owl-codes">{r.code}</span>} description={when(r.created_at)} />
              </List.Item>
            )} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
