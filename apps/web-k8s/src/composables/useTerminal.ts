// An xterm bound to a pod's exec WebSocket: keystrokes go as stdin, output is written as it comes,
// a resize of the element resizes the remote terminal, and the exit code is shown at the end.
import {
  CloseCode,
  decodeMessage,
  ExecServerMessageSchema,
  StreamType,
  type ExecClientMessage,
} from '@binnacle/contract';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { onMounted, onScopeDispose, ref, toValue, type MaybeRefOrGetter, type Ref } from 'vue';
import { execSocketUrl, type PodRef } from '../api/sockets';
import { useRuntime } from '../app/runtime';
import { consoleColors } from '../app/theme';
import { closedFor, type ClosedFor } from '../utils/close-reasons';

export type TerminalState = 'idle' | 'connecting' | 'open' | 'exited' | 'closed' | 'failed';

const terminalTheme = {
  background: consoleColors.background,
  foreground: consoleColors.foreground,
  cursor: consoleColors.foreground,
};

export function useTerminal(options: {
  element: Ref<HTMLElement | undefined>;
  pod: MaybeRefOrGetter<PodRef | undefined>;
  container: MaybeRefOrGetter<string | undefined>;
}) {
  const runtime = useRuntime();
  const state = ref<TerminalState>('idle');
  const exitCode = ref<number>();
  const problem = ref<string>();
  /** Why the gateway closed the terminal, when its close code says (revoked, lifetime…). */
  const closedBecause = ref<ClosedFor>();
  let term: Terminal | undefined;
  let fit: FitAddon | undefined;
  let socket: WebSocket | undefined;
  let observer: ResizeObserver | undefined;
  let sequence = 0;

  function send(message: ExecClientMessage): void {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function receive(text: string): void {
    const message = decodeMessage(ExecServerMessageSchema, text);
    if (message === undefined || term === undefined) return;
    if (message.type === StreamType.started) {
      state.value = 'open';
      term.focus();
    } else if (message.type === StreamType.stdout || message.type === StreamType.stderr) {
      term.write(message.data);
    } else if (message.type === StreamType.exit) {
      exitCode.value = message.code;
      state.value = 'exited';
    } else {
      problem.value = message.message;
    }
  }

  async function connect(): Promise<void> {
    const pod = toValue(options.pod);
    if (pod === undefined || term === undefined) return;
    const mine = ++sequence;
    socket?.close(CloseCode.normal);
    socket = undefined;
    exitCode.value = undefined;
    problem.value = undefined;
    closedBecause.value = undefined;
    state.value = 'connecting';
    term.reset();
    const size = { cols: term.cols, rows: term.rows };
    let url: string;
    try {
      const container = toValue(options.container);
      url = await execSocketUrl(runtime.http, pod, {
        ...size,
        ...(container ? { container } : {}),
      });
    } catch (err) {
      if (mine !== sequence) return;
      state.value = 'failed';
      problem.value = err instanceof Error ? err.message : undefined;
      return;
    }
    if (mine !== sequence) return;
    const opened = runtime.openSocket(url);
    socket = opened;
    opened.addEventListener('message', (event: MessageEvent) => {
      if (mine === sequence) receive(String(event.data));
    });
    opened.addEventListener('close', (event: CloseEvent) => {
      if (mine !== sequence) return;
      socket = undefined;
      closedBecause.value = closedFor(event.code);
      if (state.value !== 'exited') {
        const failed = problem.value !== undefined || closedBecause.value !== undefined;
        state.value = failed ? 'failed' : 'closed';
      }
    });
  }

  function dispose(): void {
    sequence += 1;
    socket?.close(CloseCode.normal);
    socket = undefined;
    observer?.disconnect();
    term?.dispose();
    term = undefined;
  }

  const untrack = runtime.track(dispose);

  onMounted(() => {
    const element = options.element.value;
    if (element === undefined) return;
    term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 13,
      theme: terminalTheme,
    });
    fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fit.fit();
    term.onData((data) => {
      send({ type: StreamType.stdin, data });
    });
    term.onResize(({ cols, rows }) => {
      send({ type: StreamType.resize, cols, rows });
    });
    observer = new ResizeObserver(() => fit?.fit());
    observer.observe(element);
    void connect();
  });

  onScopeDispose(untrack);

  return { state, exitCode, problem, closedBecause, connect };
}
