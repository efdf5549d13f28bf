import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from './i18n';

export const money = (value: number | null | undefined) => (value ?? 0).toFixed(2);

export const when = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—');

const colours: Record<string, string> = {
  pending: 'gold', running: 'processing', completed: 'success', failed: 'error', cancelled: 'default',
  online: 'success', offline: 'default', busy: 'orange', maintenance: 'purple',
  active: 'success', used: 'default', expired: 'warning', disabled: 'error', credited: 'success',
  user: 'default', admin: 'blue', super_admin: 'magenta',
};

export function StatusTag({ value, prefix = 'st_' }: { value: string; prefix?: string }) {
  const { tx } = useI18n();
  return <Tag color={colours[value] ?? 'default'} data-status={value}>{tx(prefix + value)}</Tag>;
}

export const finished = (status: string) => status === 'completed' || status === 'failed' || status === 'cancelled';
