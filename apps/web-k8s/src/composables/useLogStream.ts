// A pod's log over the logs WebSocket into a bounded line buffer. The lines are a shallowRef
// replaced at most every 100 ms, so a chatty container does not re-render per chunk.
import { CloseCode, decodeMessage, LogsServerMessageSchema, StreamType } from '@binnacle/contract';
import { onScopeDispose, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { logsSocketUrl, type LogsOptions, type PodRef } from '../api/sockets';
import { useRuntime } from '../app/runtime';
import { closedFor, type ClosedFor } from '../utils/close-reasons';
import { LineBuffer } from '../utils/line-buffer';

export const logCapacity = 5000;
const flushMs = 100;

export type StreamState = 'idle' | 'connecting' | 'streaming' | 'ended' | 'failed';

export function useLogStream(
  pod: MaybeRefOrGetter<PodRef | undefined>,
  options: MaybeRefOrGetter<LogsOptions>,
) {
  const runtime = useRuntime();
  const buffer = new LineBuffer(logCapacity);
  const lines = shallowRef<string[]>([]);
  const dropped = ref(0);
  const state = ref<StreamState>('idle');
  /** The gateway's message, or a code the view translates. */
  const problem = ref<{ message?: string; code?: 'stream' | ClosedFor }>();
  let socket: WebSocket | undefined;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;

  function flush(): void {
    flushTimer = undefined;
    lines.value = buffer.snapshot();
    dropped.value = buffer.dropped;
  }

  function scheduleFlush(): void {
    flushTimer ??= setTimeout(flush, flushMs);
  }

  function stop(): void {
    sequence += 1;
    socket?.close(CloseCode.normal);
    socket = undefined;
  }

  async function start(): Promise<void> {
    stop();
    const target = toValue(pod);
    if (target === undefined) return;
    const mine = sequence;
    buffer.clear();
    flush();
    problem.value = undefined;
    state.value = 'connecting';
    let url: string;
    try {
      url = await logsSocketUrl(runtime.http, target, toValue(options));
    } catch (err) {
      if (mine !== sequence) return;
      state.value = 'failed';
      problem.value = err instanceof Error ? { message: err.message } : { code: 'stream' };
      return;
    }
    if (mine !== sequence) return;
    const opened = runtime.openSocket(url);
    socket = opened;
    opened.addEventListener('message', (event: MessageEvent) => {
      const message = decodeMessage(LogsServerMessageSchema, String(event.data));
      if (message === undefined || mine !== sequence) return;
      if (message.type === StreamType.started) state.value = 'streaming';
      else if (message.type === StreamType.data) {
        buffer.append(message.data);
        scheduleFlush();
      } else if (message.type === StreamType.end) {
        state.value = 'ended';
      } else problem.value = { message: message.message };
    });
    opened.addEventListener('close', (event: CloseEvent) => {
      if (mine !== sequence) return;
      buffer.flush();
      flush();
      socket = undefined;
      const reason = closedFor(event.code);
      if (reason !== undefined) problem.value = { code: reason };
      else if (event.code !== CloseCode.normal && problem.value === undefined) {
        problem.value = { code: 'stream' };
      }
      state.value = problem.value === undefined ? 'ended' : 'failed';
    });
  }

  function clear(): void {
    buffer.clear();
    flush();
  }

  watch(
    () => JSON.stringify([toValue(pod), toValue(options)]),
    () => void start(),
    { immediate: true },
  );

  onScopeDispose(() => {
    stop();
    clearTimeout(flushTimer);
  });

  return { lines, dropped, state, problem, restart: start, clear };
}
