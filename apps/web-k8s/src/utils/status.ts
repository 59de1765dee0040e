// The color of a status tag. Statuses come from many kinds, so this goes by words, not by kind.

const good = ['running', 'ready', 'active', 'succeeded', 'completed', 'bound', 'normal', 'true'];
const bad = ['failed', 'error', 'crashloopbackoff', 'notready', 'evicted', 'oomkilled', 'false'];
const badPrefixes = ['err', 'init:err', 'init:crash', 'imagepull', 'invalid'];
const busy = ['pending', 'containercreating', 'terminating', 'podinitializing'];

export type StatusColor = 'success' | 'error' | 'processing' | 'warning' | 'default';

export function statusColor(status: string | number | null): StatusColor {
  if (status === null) return 'default';
  const first = String(status).split(',')[0]?.trim().toLowerCase() ?? '';
  if (good.includes(first)) return 'success';
  if (bad.includes(first) || badPrefixes.some((prefix) => first.startsWith(prefix))) {
    return 'error';
  }
  if (first === 'warning' || first.includes('backoff')) return 'warning';
  if (busy.includes(first) || first.startsWith('init:')) return 'processing';
  return 'default';
}
