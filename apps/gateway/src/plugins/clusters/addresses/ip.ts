// IP addresses and CIDR blocks as numbers, for the cluster address rules. No I/O.
import { isIP } from 'node:net';

export interface Ip {
  family: 4 | 6;
  /** 32 bits for IPv4, 128 for IPv6. */
  value: bigint;
}

export interface Cidr {
  family: 4 | 6;
  /** The network address (host bits zero). */
  value: bigint;
  prefix: number;
  /** As written in the configuration, for messages. */
  text: string;
}

const bits = (family: 4 | 6): number => (family === 4 ? 32 : 128);

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function parseIpv6(text: string): bigint {
  let host = text;
  // a trailing dotted quad (::ffff:127.0.0.1) is the last two groups
  const quad = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (quad?.[1] !== undefined && quad[2] !== undefined) {
    const v4 = parseIpv4(quad[2]);
    host = `${quad[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = host.split('::');
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const first = groups(head);
  const last = tail === undefined ? [] : groups(tail);
  const all = [...first, ...new Array<string>(8 - first.length - last.length).fill('0'), ...last];
  return all.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** An IP literal (IPv6 with or without brackets or a zone), or undefined for anything else. */
export function parseIp(text: string): Ip | undefined {
  const host = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(host);
  if (family === 4) return { family: 4, value: parseIpv4(host) };
  if (family === 6) return { family: 6, value: parseIpv6(host.toLowerCase()) };
  return undefined;
}

export function formatIp(ip: Ip): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) {
    groups.push(((ip.value >> shift) & 0xffffn).toString(16));
  }
  // the longest run of zero groups (two or more) becomes ::
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j += 1;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  if (best.length < 2) return groups.join(':');
  const head = groups.slice(0, best.start).join(':');
  const tail = groups.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}

/** `10.0.0.0/8`, `fd00::/8`, or a bare address (one host); undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const ip = parseIp(slash < 0 ? trimmed : trimmed.slice(0, slash));
  if (ip === undefined) return undefined;
  const max = bits(ip.family);
  const prefixText = slash < 0 ? String(max) : trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  const hostBits = BigInt(max - prefix);
  const value = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, value, prefix, text: trimmed };
}

export function contains(cidr: Cidr, ip: Ip): boolean {
  if (cidr.family !== ip.family) return false;
  const hostBits = BigInt(bits(ip.family) - cidr.prefix);
  return ip.value >> hostBits === cidr.value >> hostBits;
}

/** A CIDR block from a constant of this module's own; throws for a typo. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (parsed === undefined) throw new Error(`not a CIDR block: ${text}`);
  return parsed;
}
