import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button, Card, Progress, Select, Space, Table } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, type Paged, type Task, type TaskTypes } from '../api';
import { useI18n } from '../i18n';
import { useLoad } from '../hooks';
import { money, StatusTag, when } from '../format';
import { TaskActions } from '../components/TaskActions';

const statuses = ['pending', 'running', 'completed', 'failed', 'cancelled'];

export default function Tasks() {
  const { t, tx } = useI18n();
  const navigate = useNavigate();
  // Filters and the page live in the address, so a reload or a shared link shows the same list.
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const taskType = params.get('task_type') ?? undefined;
  const sort = params.get('sort') ?? 'created_at';
  const page = Number(params.get('page') ?? 1);
  const [pageSize, setPageSize] = useState(20);
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) { next.set(k, v); } else { next.delete(k); }
    }
    setParams(next);
  };
  const { data: types } = useLoad(() => api.get<TaskTypes>('/tasks/types'), []);
  const { data, loading, reload } = useLoad(() => api.get<Paged<Task>>('/tasks', {
    status, task_type: taskType, sort_by: sort, sort_order: 'desc', page, page_size: pageSize,
  }), [status, taskType, sort, page, pageSize], 5000);

  return (
    <Card title={t('menuTasks')} extra={
      <Space wrap>
        <Select allowClear placeholder={t('allStatuses')} style={{ width: 140 }} value={status} data-testid="status-filter"
          options={statuses.map(s => ({ value: s, label: tx('st_' + s) }))} onChange={v => set({ status: v, page: undefined })} />
        <Select allowClear placeholder={t('allTypes')} style={{ width: 160 }} value={taskType}
          options={types?.types.map(x => ({ value: x.task_type, label: x.task_type }))} onChange={v => set({ task_type: v, page: undefined })} />
        <Select style={{ width: 150 }} value={sort} onChange={v => set({ sort: v, page: undefined })} options={[
          { value: 'created_at', label: t('newest') }, { value: 'updated_at', label: t('recentlyUpdated') }, { value: 'priority', label: t('highestPriority') },
        ]} />
        <Button icon={<ReloadOutlined />} onClick={() => reload()} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tasks/new')}>{t('menuSubmit')}</Button>
      </Space>
    }>
      <Table<Task> rowKey="id" loading={loading && !data} dataSource={data?.items} size="middle"
        onRow={task => ({ onClick: () => navigate(`/tasks/${task.id}`), style: { cursor: 'pointer' } })}
        pagination={{
          current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: total => `${total}`,
          onChange: (p, size) => { setPageSize(size); set({ page: p === 1 ? undefined : String(p) }); },
        }}
        columns={[
          { title: t('title'), dataIndex: 'title', ellipsis: true },
          { title: t('taskType'), dataIndex: 'task_type' },
          { title: t('status'), dataIndex: 'status', render: s => <StatusTag value={s} /> },
          { title: t('progress'), dataIndex: 'progress', render: p => <Progress percent={p} size="small" style={{ width: 120 }} /> },
          { title: t('priority'), dataIndex: 'priority' },
          { title: t('cost'), dataIndex: 'cost', render: money },
          { title: t('createdAt'), dataIndex: 'created_at', render: when },
          { title: t('actions'), render: (_, task) => <TaskActions task={task} onChanged={() => reload(true)} onDeleted={() => reload(true)} /> },
        ]} />
    </Card>
  );
}
