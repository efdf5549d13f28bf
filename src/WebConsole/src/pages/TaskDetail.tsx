import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Badge, Card, Col, Descriptions, Progress, Row, Space, Spin, Statistic, Typography } from 'antd';
import { api, type LogLine, type Task } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { useReport } from '../errors';
import { finished, money, StatusTag, when } from '../format';
import { follow } from '../sse';
import { TaskActions } from '../components/TaskActions';

export default function TaskDetail() {
  const { id = '' } = useParams();
  const { t, tx } = useI18n();
  const { refresh } = useAuth();
  const report = useReport();
  const navigate = useNavigate();
  const [task, setTask] = useState<Task | null>(null);
  const [lines, setLines] = useState<LogLine[]>([]);
  const [streaming, setStreaming] = useState(false);
  const taskRef = useRef<Task | null>(null);
  const logBox = useRef<HTMLDivElement>(null);
  taskRef.current = task;

  // The detail read carries the queue position and ETA; the event stream carries every status and progress change
  // at once. While the task is not finished both run: the stream for liveness, the read every 3 s for the queue.
  const merge = (next: Task) => setTask(prev => next.status === 'pending' && prev?.status === 'pending' && next.queue_position === null
    ? { ...next, pending_reason: prev.pending_reason, queue_position: prev.queue_position, estimated_start_at: prev.estimated_start_at }
    : next);

  useEffect(() => {
    let stop = false;
    const read = () => api.get<Task>(`/tasks/${id}`).then(merge).catch(e => { if (!stop) { report(e); } });
    void read();
    const timer = setInterval(() => {
      if (!taskRef.current || !finished(taskRef.current.status)) {
        void read();
      }
    }, 3000);
    return () => { stop = true; clearInterval(timer); };
  }, [id, report]);

  const live = task !== null && !finished(task.status);
  const attempt = task?.attempt;
  useEffect(() => {
    if (!live) {
      return;
    }
    const abort = new AbortController();
    setStreaming(true);
    follow(() => `/tasks/${id}/events`, {
      signal: abort.signal,
      onEvent: (_, data) => {
        const next = data as Task;
        merge(next);
        if (finished(next.status)) {
          void refresh();
        }
      },
      shouldReconnect: () => !!taskRef.current && !finished(taskRef.current.status),
    });
    return () => { abort.abort(); setStreaming(false); };
  }, [id, live, attempt, refresh]);

  // The log: every line from the cursor, then new ones as they come, until the task has ended.
  useEffect(() => {
    const abort = new AbortController();
    let after = 0;
    setLines([]);
    follow(() => `/logs/tasks/${id}?follow=true&after=${after}`, {
      signal: abort.signal,
      onEvent: (_, data) => {
        const line = data as LogLine;
        after = Math.max(after, line.id);
        setLines(prev => (prev.length > 2000 ? [...prev.slice(-1500), line] : [...prev, line]));
      },
      shouldReconnect: () => !taskRef.current || !finished(taskRef.current.status),
    });
    return () => abort.abort();
  }, [id, attempt]);

  useEffect(() => {
    const box = logBox.current;
    if (box) {
      box.scrollTop = box.scrollHeight;
    }
  }, [lines]);

  if (!task) {
    return <Spin />;
  }
  const pending = task.status === 'pending';
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={<Space>{task.title}<StatusTag value={task.status} />{live && streaming && <Badge status="processing" text={t('live')} />}</Space>}
        extra={<TaskActions task={task} size="middle" onChanged={next => { merge(next); void refresh(); }} onDeleted={() => navigate('/tasks')} />}>
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Typography.Text type="secondary">{t('progress')}</Typography.Text>
            <div data-testid="task-progress">
              <Progress percent={task.progress} format={p => `${p}%`}
                status={task.status === 'failed' ? 'exception' : task.status === 'completed' ? 'success' : live ? 'active' : 'normal'} />
            </div>
          </Col>
          <Col xs={8} md={5}><Statistic title={t('costToDate')} value={money(task.cost)} data-testid="task-cost" /></Col>
          <Col xs={8} md={5}><Statistic title={t('hold')} value={money(task.hold_amount)} /></Col>
          <Col xs={8} md={4}><Statistic title={t('attempt')} value={task.attempt} /></Col>
        </Row>
        {pending && (
          <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 16 }} bordered>
            <Descriptions.Item label={t('pendingReason')}>{task.pending_reason ? tx('reason_' + task.pending_reason) : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('queuePosition')}>
              <span data-testid="queue-position">{task.queue_position === null ? '—' : `#${task.queue_position + 1} · ${t('queueAhead', { n: task.queue_position })}`}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('eta')}>{when(task.estimated_start_at)}</Descriptions.Item>
          </Descriptions>
        )}
        <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginTop: 16 }}>
          <Descriptions.Item label="ID"><Typography.Text copyable className="owl-codes">{task.id}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={t('taskType')}>{task.task_type}</Descriptions.Item>
          <Descriptions.Item label={t('priority')}>{task.priority}</Descriptions.Item>
          <Descriptions.Item label={t('pricePerMinute')}>{money(task.price_per_minute)}</Descriptions.Item>
          <Descriptions.Item label={t('estimatedDuration')}>{task.estimated_duration ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('server')}>{task.gpu_server_id ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('createdAt')}>{when(task.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t('startedAt')}>{when(task.started_at)}</Descriptions.Item>
          <Descriptions.Item label={t('completedAt')}>{when(task.completed_at)}</Descriptions.Item>
          <Descriptions.Item label={t('updatedAt')}>{when(task.updated_at)}</Descriptions.Item>
          {task.description && <Descriptions.Item label={t('description')} span={2}>{task.description}</Descriptions.Item>}
          {task.error_message && <Descriptions.Item label={t('errorMessage')} span={2}><Typography.Text type="danger">{task.error_message}</Typography.Text></Descriptions.Item>}
          <Descriptions.Item label={t('config')} span={2}><pre className="owl-codes" style={{ margin: 0 }}>{JSON.stringify(task.config, null, 2)}</pre></Descriptions.Item>
          {task.result !== null && <Descriptions.Item label={t('result')} span={2}><pre className="owl-codes" style={{ margin: 0 }}>{JSON.stringify(task.result, null, 2)}</pre></Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title={<Space>{t('logTail')}{live ? <Badge status="processing" text={t('live')} /> : <Badge status="default" text={t('ended')} />}</Space>}>
        <div className="owl-log" ref={logBox} data-testid="task-log">
          {lines.length === 0 && <span className="ts">{t('noLogs')}</span>}
          {lines.map(line => (
            <div key={line.id} className={'lvl-' + line.level}><span className="ts">{when(line.ts)}</span>[{line.level}] {line.message}</div>
          ))}
        </div>
      </Card>
    </Space>
  );
}
