// The one door to /api: the envelope unwrapped, errors as ApiError, the bearer token attached, and a 401 on a
// signed-in call reported once so the app can send the user back to sign in.

export interface Envelope<T> {
  success: boolean;
  message: string;
  data: T;
  error_code: string | null;
  details?: Record<string, unknown>;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  get fieldErrors(): Record<string, string[]> {
    return (this.details.field_errors as Record<string, string[]> | undefined) ?? {};
  }
}

const tokenKey = 'owl.token';
const expiryKey = 'owl.token.expires';

let unauthorizedListener: (() => void) | null = null;

export const session = {
  get token(): string | null {
    const token = localStorage.getItem(tokenKey);
    const expires = Number(localStorage.getItem(expiryKey) ?? 0);
    return token && expires > Date.now() ? token : null;
  },
  /** Milliseconds until the token expires (0 when there is none). */
  get remaining(): number {
    return Math.max(0, Number(localStorage.getItem(expiryKey) ?? 0) - Date.now());
  },
  save(token: string, expiresInSeconds: number) {
    localStorage.setItem(tokenKey, token);
    localStorage.setItem(expiryKey, String(Date.now() + expiresInSeconds * 1000));
  },
  clear() {
    localStorage.removeItem(tokenKey);
    localStorage.removeItem(expiryKey);
  },
  onUnauthorized(listener: (() => void) | null) {
    unauthorizedListener = listener;
  },
};

export function authHeaders(): Record<string, string> {
  const token = session.token;
  return token ? { Authorization: `Bearer ${token}` } : {};
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) {
    return path;
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Turns a non-2xx answer into an ApiError, reporting an expired or revoked session. */
export async function failure(response: Response, signedIn: boolean): Promise<ApiError> {
  let body: Partial<Envelope<unknown>> = {};
  try {
    body = await response.json();
  } catch {
    // A proxy's HTML page or an empty body: the status says enough.
  }
  const error = new ApiError(response.status, body.error_code ?? 'HTTP_' + response.status, body.message ?? response.statusText,
    (body.details as Record<string, unknown>) ?? {});
  if (response.status === 401 && signedIn) {
    session.clear();
    unauthorizedListener?.();
  }
  return error;
}

export async function request<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  const signedIn = session.token !== null;
  let response: Response;
  try {
    response = await fetch('/api' + path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...authHeaders(),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network');
  }
  if (!response.ok) {
    throw await failure(response, signedIn);
  }
  const envelope = (await response.json()) as Envelope<T>;
  return envelope.data;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, body ?? {}, headers),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** A fresh key for an Idempotency-Key header (crypto.randomUUID needs a secure context; plain http on a LAN is not). */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

/** Downloads an authenticated GET as a file. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await fetch('/api' + path, { headers: authHeaders() });
  if (!response.ok) {
    throw await failure(response, true);
  }
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  saveBlob(await response.blob(), name);
}

export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- the shapes the pages use (snake_case, as the API sends them)

export interface User {
  id: string;
  email: string;
  username: string;
  full_name: string | null;
  role: 'user' | 'admin' | 'super_admin';
  is_active: boolean;
  balance: number;
  available_balance: number;
  total_tasks: number;
  created_at: string;
  updated_at: string;
  last_login: string | null;
}

export interface LoginResult {
  access_token: string;
  token_type: string;
  expires_in: number;
  user: { id: string; email: string; username: string; role: string };
}

export interface Task {
  id: string;
  user_id: string;
  title: string;
  description: string | null;
  task_type: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  progress: number;
  priority: number;
  gpu_server_id: string | null;
  config: unknown;
  result: unknown;
  error_message: string | null;
  cost: number;
  hold_amount: number;
  price_per_minute: number;
  estimated_duration: number | null;
  timeout_seconds: number;
  attempt: number;
  started_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  pending_reason: string | null;
  queue_position: number | null;
  estimated_start_at: string | null;
}

export interface TaskTypes {
  types: { task_type: string; price_per_minute: number; hold: number }[];
  default_task_timeout: number;
  max_concurrent_tasks_per_user: number;
  maintenance_mode: boolean;
  maintenance_message: string | null;
}

export interface LogLine {
  id: number;
  ts: string;
  level: string;
  message: string;
  source: string;
}

export interface RechargeRecord {
  id: string;
  code_id: string;
  code: string;
  amount: number;
  status: string;
  created_at: string;
}

export interface Server {
  id: string;
  name: string;
  host: string;
  status: string;
  current_tasks: number;
  max_concurrent_tasks: number;
  total_memory: number;
  used_memory: number;
  gpu_count: number;
  cpu_usage: number;
  memory_usage: number;
  last_heartbeat: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServerStatus {
  server_id: string;
  status: string;
  cpu_usage: number;
  memory_usage: number;
  gpu_usage: { gpu_id: number; name: string; usage: number; memory_used: number; memory_total: number; temperature: number | null }[];
  running_tasks: { task_id: string; progress: number }[];
  timestamp: string | null;
}

export interface Overview {
  total_servers: number;
  online_servers: number;
  offline_servers: number;
  maintenance_servers: number;
  total_gpus: number;
  busy_gpus: number;
  idle_gpus: number;
  total_running_tasks: number;
  queue_length: number;
  average_gpu_usage: number;
  total_memory: number;
  used_memory: number;
}

export interface RechargeCode {
  id: string;
  code: string;
  amount: number;
  description: string | null;
  batch_id: string;
  max_uses: number;
  used_count: number;
  status: string;
  expires_at: string | null;
  disabled_at: string | null;
  created_by: string | null;
  created_at: string;
}

export interface IssuedCodes {
  batch_id: string;
  codes: { id: string; code: string; amount: number; expires_at: string | null }[];
  total_generated: number;
  total_amount: number;
}

export interface SystemConfig {
  max_concurrent_tasks_per_user: number;
  default_task_timeout: number;
  maintenance_mode: boolean;
  maintenance_message: string;
  heartbeat_timeout_seconds: number;
  task_prices: Record<string, number>;
  log_retention_days: number;
  version: number;
  updated_at: string | null;
}
