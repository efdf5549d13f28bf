import { authHeaders, failure } from './api';

// The API's streams (task events, log follow, telemetry, cluster overview) take the same bearer token as every other
// call. EventSource cannot send an Authorization header, so the stream is read with fetch and parsed here: events
// are separated by a blank line, "event:" names one, "data:" lines carry its JSON.

export interface StreamOptions {
  signal: AbortSignal;
  onEvent: (event: string, data: unknown) => void;
}

/** Reads one stream until the server ends it (resolves) or it fails (rejects; an abort resolves). */
export async function readStream(path: string, { signal, onEvent }: StreamOptions): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/api' + path, { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal });
  } catch (error) {
    if (signal.aborted) {
      return;
    }
    throw error;
  }
  if (!response.ok || !response.body) {
    throw await failure(response, true);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        dispatch(block, onEvent);
      }
    }
  } catch (error) {
    if (signal.aborted) {
      return;
    }
    throw error;
  } finally {
    reader.releaseLock();
  }
}

function dispatch(block: string, onEvent: StreamOptions['onEvent']) {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) {
      event = line.slice(6).trim();
    } else if (line.startsWith('data:')) {
      data.push(line.slice(5).replace(/^ /, ''));
    }
  }
  if (data.length > 0) {
    onEvent(event, JSON.parse(data.join('\n')));
  }
}

/**
 * Follows a stream for as long as the caller wants it: reconnects after a drop (after `retryMs`), stops when the
 * signal aborts or when `shouldReconnect` says the stream has said all it will.
 */
export function follow(path: () => string, options: StreamOptions & { retryMs?: number; shouldReconnect?: () => boolean; onError?: (e: unknown) => void }) {
  const { signal, retryMs = 2000, shouldReconnect = () => true } = options;
  void (async () => {
    while (!signal.aborted) {
      try {
        await readStream(path(), options);
      } catch (error) {
        options.onError?.(error);
        if ((error as { status?: number }).status === 401 || (error as { status?: number }).status === 404) {
          return;
        }
      }
      if (signal.aborted || !shouldReconnect()) {
        return;
      }
      await new Promise(resolve => setTimeout(resolve, retryMs));
    }
  })();
}
