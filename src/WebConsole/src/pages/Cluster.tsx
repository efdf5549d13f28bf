import { useEffect, useState } from 'react';
import { Badge, Card, Col, Empty, Progress, Row, Statistic, Table, Typography } from 'antd';
import { api, type Overview, type Server, type ServerStatus } from '../api';
import { useI18n } from '../i18n';
import { useLoad } from '../hooks';
import { StatusTag, when } from '../format';
import { follow } from '../sse';
import { TimeChart, type Series } from '../components/Chart';

const keep = 180;

export default function Cluster() {
  const { t } = useI18n();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [liveOverview, setLiveOverview] = useState(false);
  const { data: servers } = useLoad(() => api.get<Server[]>('/gpu/servers'), [], 5000);
  const [selected, setSelected] = useState<string | null>(null);

  // The overview stream sends the figures whenever they change (checked every second on the server).
  useEffect(() => {
    const abort = new AbortController();
    follow(() => '/gpu/cluster/stream', {
      signal: abort.signal,
      onEvent: (_, data) => { setOverview(data as Overview); setLiveOverview(true); },
      onError: () => setLiveOverview(false),
    });
    return () => abort.abort();
  }, []);

  useEffect(() => {
    if (!selected && servers?.length) {
      setSelected((servers.find(s => s.status !== 'offline') ?? servers[0]).id);
    }
  }, [servers, selected]);

  const o = overview;
  return (
    <>
      <Card title={<>{t('clusterOverview')} {liveOverview && <Badge status="processing" text={t('live')} />}</>}>
        <Row gutter={[16, 16]}>
          <Col xs={12} md={4}><Statistic title={t('onlineServers')} value={o?.online_servers ?? 0} suffix={`/ ${o?.total_servers ?? 0}`} /></Col>
          <Col xs={12} md={4}><Statistic title={t('busyGpus')} value={o?.busy_gpus ?? 0} suffix={`/ ${o?.total_gpus ?? 0}`} /></Col>
          <Col xs={12} md={4}><Statistic title={t('runningTasks')} value={o?.total_running_tasks ?? 0} /></Col>
          <Col xs={12} md={4}><Statistic title={t('queueLength')} value={o?.queue_length ?? 0} data-testid="queue-length" /></Col>
          <Col xs={12} md={4}><Statistic title={t('avgGpuUsage')} value={o?.average_gpu_usage ?? 0} suffix="%" /></Col>
          <Col xs={12} md={4}><Statistic title={t('memory')} value={(o?.used_memory ?? 0).toFixed(1)} suffix={`/ ${o?.total_memory ?? 0} GiB`} /></Col>
        </Row>
      </Card>
      <Card title={t('servers')} style={{ marginTop: 16 }}>
        <Table<Server> rowKey="id" size="small" dataSource={servers} pagination={false} locale={{ emptyText: t('noServers') }}
          rowClassName={s => (s.id === selected ? 'ant-table-row-selected' : '')}
          onRow={s => ({ onClick: () => setSelected(s.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('servers'), dataIndex: 'name' },
            { title: t('host'), dataIndex: 'host' },
            { title: t('status'), dataIndex: 'status', render: s => <StatusTag value={s} /> },
            { title: t('currentTasks'), render: (_, s) => `${s.current_tasks} / ${s.max_concurrent_tasks}` },
            { title: t('gpuCount'), dataIndex: 'gpu_count' },
            { title: t('cpuUsage'), dataIndex: 'cpu_usage', render: v => <Progress percent={v} size="small" style={{ width: 100 }} /> },
            { title: t('memory'), render: (_, s) => `${s.used_memory.toFixed(1)} / ${s.total_memory} GiB` },
            { title: t('lastHeartbeat'), dataIndex: 'last_heartbeat', render: when },
          ]} />
      </Card>
      {selected ? <ServerCharts key={selected} server={servers?.find(s => s.id === selected)} id={selected} />
        : <Card style={{ marginTop: 16 }}><Empty description={t('selectServer')} /></Card>}
    </>
  );
}

function ServerCharts({ id, server }: { id: string; server?: Server }) {
  const { t } = useI18n();
  const [samples, setSamples] = useState<ServerStatus[]>([]);
  const [live, setLive] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    const add = (next: ServerStatus[]) => setSamples(prev => {
      const all = [...prev, ...next.filter(s => s.timestamp && !prev.some(p => p.timestamp === s.timestamp))];
      return all.slice(-keep);
    });
    void api.get<ServerStatus[]>(`/gpu/servers/${id}/history`, { minutes: 10 }).then(add).catch(() => undefined);
    follow(() => `/gpu/servers/${id}/telemetry/stream`, {
      signal: abort.signal,
      onEvent: (_, data) => { setLive(true); add([data as ServerStatus]); },
      onError: () => setLive(false),
    });
    return () => abort.abort();
  }, [id]);

  const gpus = [...new Set(samples.flatMap(s => s.gpu_usage.map(g => g.gpu_id)))].sort((a, b) => a - b);
  const series = (pick: (g: ServerStatus['gpu_usage'][number]) => number): Series[] => gpus.map(gpu => ({
    name: `GPU ${gpu}`,
    points: samples.flatMap(s => s.gpu_usage.filter(g => g.gpu_id === gpu).map(g => [Date.parse(s.timestamp!), pick(g)] as [number, number])),
  }));
  const latest = samples.at(-1);
  const memoryMax = Math.max(1, ...samples.flatMap(s => s.gpu_usage.map(g => g.memory_total)));
  return (
    <Card style={{ marginTop: 16 }} title={<>{server?.name ?? id} {live && <Badge status="processing" text={t('live')} />}</>}
      extra={latest && <Typography.Text type="secondary">{t('cpuUsage')} {latest.cpu_usage.toFixed(1)}% · {t('memoryUsage')} {latest.memory_usage.toFixed(1)}% · {when(latest.timestamp)}</Typography.Text>}>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Typography.Text strong>{t('gpuUtilisation')}</Typography.Text>
          <TimeChart series={series(g => g.usage)} max={100} unit="%" testId="gpu-usage-chart" />
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Text strong>{t('gpuMemory')}</Typography.Text>
          <TimeChart series={series(g => g.memory_used)} max={memoryMax} unit="GiB" testId="gpu-memory-chart" />
        </Col>
      </Row>
    </Card>
  );
}
