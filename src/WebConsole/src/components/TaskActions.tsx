import { App, Button, Popconfirm, Space } from 'antd';
import { api, type Task } from '../api';
import { useI18n } from '../i18n';
import { useReport } from '../errors';

/** Cancel (pending, running), retry (failed, cancelled), delete (finished): the transitions the API allows. */
export function TaskActions({ task, onChanged, onDeleted, size = 'small' }: {
  task: Task; onChanged: (task: Task) => void; onDeleted: () => void; size?: 'small' | 'middle';
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReport();
  const act = async (action: 'cancel' | 'retry') => {
    try {
      const next = await api.post<Task>(`/tasks/${task.id}/${action}`);
      void message.success(t(action === 'cancel' ? 'cancel' : 'retry') + ' ✓');
      onChanged(next);
    } catch (e) {
      report(e);
    }
  };
  const remove = async () => {
    try {
      await api.del(`/tasks/${task.id}`);
      onDeleted();
    } catch (e) {
      report(e);
    }
  };
  const stop = (e?: React.MouseEvent) => e?.stopPropagation();
  return (
    <Space onClick={stop}>
      {(task.status === 'pending' || task.status === 'running') && (
        <Popconfirm title={t('confirmCancel')} onConfirm={() => act('cancel')}>
          <Button size={size} danger data-testid="cancel-task">{t('cancel')}</Button>
        </Popconfirm>
      )}
      {(task.status === 'failed' || task.status === 'cancelled') && (
        <Button size={size} onClick={() => act('retry')} data-testid="retry-task">{t('retry')}</Button>
      )}
      {(task.status === 'completed' || task.status === 'failed' || task.status === 'cancelled') && (
        <Popconfirm title={t('confirmDelete')} onConfirm={remove}>
          <Button size={size} data-testid="delete-task">{t('delete')}</Button>
        </Popconfirm>
      )}
    </Space>
  );
}
