import { useState } from 'react';
import { Button, Card, DatePicker, Input, Select, Space, Table, Tabs, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, download, type LogLine, type Paged } from '../../api';
import { useI18n } from '../../i18n';
import { useReport } from '../../errors';
import { useLoad } from '../../hooks';
import { when } from '../../format';

interface SystemLog { id: number; timestamp: string; level: string; logger: string; event_id: number; message: string; exception: string | null; process: string }
interface UserAction { id: number; user_id: string | null; action: string; details: unknown; ip_address: string | null; user_agent: string | null; created_at: string }
type Range = [Dayjs | null, Dayjs | null] | null;

const levels = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
const levelColour: Record<string, 'danger' | 'warning' | undefined> = { ERROR: 'danger', CRITICAL: 'danger', WARNING: 'warning' };

const dates = (range: Range) => ({
  start_date: range?.[0]?.format('YYYY-MM-DD'),
  // The API's end_date is exclusive; a picked end day means "through that day".
  end_date: range?.[1]?.add(1, 'day').format('YYYY-MM-DD'),
});

export default function Logs() {
  const { t } = useI18n();
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Tabs items={[
          { key: 'system', label: t('systemLogs'), children: <SystemLogs /> },
          { key: 'audit', label: t('auditLogs'), children: <AuditLogs /> },
          { key: 'tasks', label: t('taskLogs'), children: <TaskLogs /> },
        ]} />
      </Card>
      <DownloadDay />
    </Space>
  );
}

function SystemLogs() {
  const { t } = useI18n();
  const [level, setLevel] = useState<string>();
  const [search, setSearch] = useState('');
  const [range, setRange] = useState<Range>(null);
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(50);
  const { data, loading } = useLoad(() => api.get<Paged<SystemLog>>('/logs/system', { level, search, ...dates(range), page, page_size: size }),
    [level, search, range, page, size]);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('allLevels')} style={{ width: 130 }} value={level} onChange={v => { setLevel(v); setPage(1); }} options={levels.map(l => ({ value: l, label: l }))} />
        <Input.Search allowClear placeholder={t('search')} style={{ width: 240 }} onSearch={v => { setSearch(v); setPage(1); }} />
        <DatePicker.RangePicker value={range} onChange={v => { setRange(v as Range); setPage(1); }} />
      </Space>
      <Table<SystemLog> rowKey="id" size="small" loading={loading} dataSource={data?.items}
        pagination={{ current: page, pageSize: size, total: data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [50, 100, 200], onChange: (p, s) => { setPage(p); setSize(s); } }}
        expandable={{ rowExpandable: r => !!r.exception, expandedRowRender: r => <pre className="owl-codes" style={{ margin: 0 }}>{r.exception}</pre> }}
        columns={[
          { title: t('time'), dataIndex: 'timestamp', render: when, width: 170 },
          { title: t('level'), dataIndex: 'level', width: 90, render: l => <Typography.Text type={levelColour[l]}>{l}</Typography.Text> },
          { title: t('process'), dataIndex: 'process', width: 90 },
          { title: t('message'), dataIndex: 'message' },
          { title: 'Logger', dataIndex: 'logger', ellipsis: true, width: 220 },
        ]} />
    </>
  );
}

function AuditLogs() {
  const { t } = useI18n();
  const [userId, setUserId] = useState('');
  const [action, setAction] = useState('');
  const [range, setRange] = useState<Range>(null);
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(50);
  const { data, loading } = useLoad(() => api.get<Paged<UserAction>>('/logs/user-actions', { user_id: userId, action, ...dates(range), page, page_size: size }),
    [userId, action, range, page, size]);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('userId')} style={{ width: 320 }} onSearch={v => { setUserId(v.trim()); setPage(1); }} />
        <Input.Search allowClear placeholder={t('action')} style={{ width: 220 }} onSearch={v => { setAction(v.trim()); setPage(1); }} />
        <DatePicker.RangePicker value={range} onChange={v => { setRange(v as Range); setPage(1); }} />
      </Space>
      <Table<UserAction> rowKey="id" size="small" loading={loading} dataSource={data?.items}
        pagination={{ current: page, pageSize: size, total: data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [50, 100, 200], onChange: (p, s) => { setPage(p); setSize(s); } }}
        columns={[
          { title: t('time'), dataIndex: 'created_at', render: when, width: 170 },
          { title: t('action'), dataIndex: 'action' },
          { title: t('userId'), dataIndex: 'user_id', render: (u: string | null) => <span className="owl-codes">{u ?? '—'}</span> },
          { title: t('ipAddress'), dataIndex: 'ip_address' },
          { title: t('details'), dataIndex: 'details', render: d => <span className="owl-codes">{d ? JSON.stringify(d) : ''}</span> },
        ]} />
    </>
  );
}

function TaskLogs() {
  const { t } = useI18n();
  const report = useReport();
  const [taskId, setTaskId] = useState('');
  const [lines, setLines] = useState<LogLine[]>([]);
  const [next, setNext] = useState<{ after: number; more: boolean } | null>(null);
  const load = async (id: string, after: number) => {
    try {
      const page = await api.get<{ items: LogLine[]; next_after: number; has_more: boolean }>(`/logs/tasks/${id}`, { after, limit: 200 });
      setLines(prev => (after === 0 ? page.items : [...prev, ...page.items]));
      setNext({ after: page.next_after, more: page.has_more });
    } catch (e) {
      report(e);
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Input.Search placeholder={t('taskId')} style={{ width: 380 }} enterButton={t('load')} onSearch={v => { setTaskId(v.trim()); void load(v.trim(), 0); }} />
      </Space>
      <Table<LogLine> rowKey="id" size="small" dataSource={lines} pagination={false}
        columns={[
          { title: t('time'), dataIndex: 'ts', render: when, width: 170 },
          { title: t('level'), dataIndex: 'level', width: 90, render: l => <Typography.Text type={levelColour[l]}>{l}</Typography.Text> },
          { title: 'Source', dataIndex: 'source', width: 90 },
          { title: t('message'), dataIndex: 'message' },
        ]} />
      {next?.more && <Button style={{ marginTop: 12 }} onClick={() => load(taskId, next.after)}>{t('load')} …</Button>}
    </>
  );
}

function DownloadDay() {
  const { t } = useI18n();
  const report = useReport();
  const [type, setType] = useState('system');
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      const date = day.format('YYYY-MM-DD');
      await download(`/logs/download?log_type=${type}&date=${date}`, `owl-${type}-${date}.ndjson`);
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('downloadDay')} size="small">
      <Space wrap>
        <Select value={type} onChange={setType} style={{ width: 160 }} options={[
          { value: 'system', label: t('systemLogs') }, { value: 'user-actions', label: t('auditLogs') }, { value: 'tasks', label: t('taskLogs') },
        ]} />
        <DatePicker value={day} onChange={v => v && setDay(v)} allowClear={false} />
        <Button icon={<DownloadOutlined />} loading={busy} onClick={go}>{t('download')}</Button>
        <Typography.Text type="secondary">NDJSON · UTC</Typography.Text>
      </Space>
    </Card>
  );
}
