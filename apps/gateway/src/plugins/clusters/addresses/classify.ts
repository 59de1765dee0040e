// Which addresses a cluster's server may not be: everything that reaches the gateway's own host, its
// network or the cloud's metadata service rather than the internet. IPv6 forms that carry an IPv4
// address (mapped, NAT64, 6to4, Teredo) are judged by that address too. Pure: no I/O.
import { cidr, contains, formatIp, type Cidr, type Ip } from './ip.js';

interface Range {
  block: Cidr;
  /** How the message names an address in it, e.g. "a loopback address". */
  label: string;
}

const range = (text: string, label: string): Range => ({ block: cidr(text), label });

/** Most specific first: the first match names the address. */
export const blockedRanges: readonly Range[] = [
  range('169.254.169.254/32', 'the cloud metadata address'),
  range('100.100.100.200/32', 'the cloud metadata address'),
  range('fd00:ec2::254/128', 'the cloud metadata address'),
  range('0.0.0.0/8', 'an unspecified address'),
  range('10.0.0.0/8', 'a private address'),
  range('100.64.0.0/10', 'a carrier-grade NAT address'),
  range('127.0.0.0/8', 'a loopback address'),
  range('169.254.0.0/16', 'a link-local address'),
  range('172.16.0.0/12', 'a private address'),
  range('192.0.0.0/24', 'an IETF protocol address'),
  range('192.168.0.0/16', 'a private address'),
  range('198.18.0.0/15', 'a benchmarking address'),
  range('224.0.0.0/4', 'a multicast address'),
  range('240.0.0.0/4', 'a reserved address'),
  range('::/128', 'an unspecified address'),
  range('::1/128', 'a loopback address'),
  range('100::/64', 'a discard-only address'),
  range('fc00::/7', 'a unique local address'),
  range('fe80::/10', 'a link-local address'),
  range('fec0::/10', 'a site-local address'),
  range('ff00::/8', 'a multicast address'),
];

const v4 = (value: bigint): Ip => ({ family: 4, value: value & 0xffffffffn });

/** IPv6 prefixes whose addresses carry an IPv4 address, and where. */
const carriers: readonly { block: Cidr; form: string; embedded: (value: bigint) => Ip[] }[] = [
  { block: cidr('::ffff:0:0/96'), form: 'IPv4-mapped', embedded: (x) => [v4(x)] },
  { block: cidr('::ffff:0:0:0/96'), form: 'IPv4-translated', embedded: (x) => [v4(x)] },
  { block: cidr('::/96'), form: 'IPv4-compatible', embedded: (x) => [v4(x)] },
  { block: cidr('64:ff9b::/96'), form: 'NAT64', embedded: (x) => [v4(x)] },
  { block: cidr('64:ff9b:1::/48'), form: 'NAT64', embedded: (x) => [v4(x)] },
  { block: cidr('2002::/16'), form: '6to4', embedded: (x) => [v4(x >> 80n)] },
  // Teredo: the server's address in bits 32–63, the client's inverted in the last 32
  { block: cidr('2001::/32'), form: 'Teredo', embedded: (x) => [v4(x >> 64n), v4(~x)] },
];

/** The IPv4 addresses an IPv6 address carries, with the form's name. */
export function embeddedIpv4(ip: Ip): { ip: Ip; form: string }[] {
  if (ip.family !== 6) return [];
  const carrier = carriers.find((c) => contains(c.block, ip));
  return carrier === undefined
    ? []
    : carrier.embedded(ip.value).map((e) => ({ ip: e, form: carrier.form }));
}

export interface AddressRefusal {
  /** The address refused (the embedded IPv4 address for an IPv6 form that carries one). */
  address: string;
  label: string;
  /** The blocked range it is in, e.g. 127.0.0.0/8. */
  range: string;
  /** For an embedded address: the IPv6 address and its form, e.g. "::ffff:7f00:1 (IPv4-mapped)". */
  via?: string;
}

function blockedRange(ip: Ip): Range | undefined {
  return blockedRanges.find((r) => contains(r.block, ip));
}

const inAny = (blocks: readonly Cidr[], ips: readonly Ip[]): boolean =>
  blocks.some((block) => ips.some((ip) => contains(block, ip)));

/**
 * Why `ip` may not be a cluster's address, or undefined. An address in `allowed` passes; so does an
 * IPv6 form whose embedded IPv4 address is in `allowed`.
 */
export function addressRefusal(ip: Ip, allowed: readonly Cidr[]): AddressRefusal | undefined {
  const embedded = embeddedIpv4(ip);
  const targets = [{ ip, form: undefined as string | undefined }, ...embedded];
  for (const target of targets) {
    const hit = blockedRange(target.ip);
    if (hit === undefined || inAny(allowed, [target.ip, ip])) continue;
    return {
      address: formatIp(target.ip),
      label: hit.label,
      range: hit.block.text,
      ...(target.form !== undefined ? { via: `${formatIp(ip)} (${target.form})` } : {}),
    };
  }
  return undefined;
}

/** Whether plain http may be used to `ip`: only inside `httpCidrs` (its embedded IPv4 counts too). */
export function httpAllowed(ip: Ip, httpCidrs: readonly Cidr[]): boolean {
  return inAny(httpCidrs, [ip, ...embeddedIpv4(ip).map((e) => e.ip)]);
}
