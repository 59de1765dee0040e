// Streams to and from pods: exec, attach, logs and port-forward.
export {
  Channel,
  channelProtocols,
  decodeFrame,
  encodeFrame,
  openChannel,
  type ChannelHandlers,
  type ChannelProtocol,
  type ChannelSocket,
  type OpenChannelOptions,
} from './channel.ts';
export {
  attach,
  exec,
  execCollect,
  type AttachOptions,
  type ExecCollectOptions,
  type ExecOptions,
  type ExecResult,
} from './exec.ts';
export { splitLines, type SplitLinesOptions } from './lines.ts';
export {
  forwardToLocalPort,
  type LocalForward,
  type LocalForwardOptions,
} from './local-forward.ts';
export { logLines, logs, type LogLinesOptions, type LogOptions } from './logs.ts';
export {
  portForward,
  portForwardProtocols,
  PortPrefixReader,
  type PortForward,
  type PortForwardOptions,
} from './port-forward.ts';
export { exitFromStatus, type ExecExit, type ExecSession } from './session.ts';
