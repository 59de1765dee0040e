// Addresses an uploaded kubeconfig must not point the gateway at: from inside a cloud VM or pod
// they reach the instance metadata service (credentials of the node) or the host itself. This
// checks the literal host only; a DNS name that resolves to such an address has to be caught when
// connecting.

const metadataNames = new Set(['metadata.google.internal']);

/** IPv4 literals of metadata services: AWS / GCP / Azure / OpenStack, and Alibaba Cloud. */
const metadataIpv4 = new Set(['169.254.169.254', '100.100.100.200']);

function parseIpv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** Eight 16-bit groups, or undefined when `host` is not an IPv6 literal. */
function parseIpv6(host: string): number[] | undefined {
  if (!host.includes(':')) return undefined;
  // a trailing dotted quad (::ffff:169.254.169.254) is the last two groups
  const lastColon = host.lastIndexOf(':');
  const v4 = parseIpv4(host.slice(lastColon + 1));
  const hex = (hi = 0, lo = 0): string => (hi * 256 + lo).toString(16);
  const text = v4
    ? `${host.slice(0, lastColon + 1)}${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`
    : host;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (half === undefined || half === '') return [];
    const items = half.split(':');
    if (!items.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
    return items.map((g) => parseInt(g, 16));
  };
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  if (!head || !rest) return undefined;
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  return [...head, ...new Array<number>(fill).fill(0), ...rest];
}

function ipv4Reason(octets: readonly number[], host: string): string | undefined {
  const text = octets.join('.');
  if (metadataIpv4.has(text)) return `${host} is a cloud metadata endpoint`;
  if (octets[0] === 169 && octets[1] === 254) {
    return `${host} is a link-local address (169.254.0.0/16)`;
  }
  // Linux treats 0.0.0.0 (and the rest of 0.0.0.0/8) as "this host"
  if (octets[0] === 0) return `${host} is an unspecified address`;
  return undefined;
}

function ipv6Reason(groups: readonly number[], host: string): string | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  if (groups.every((g) => g === 0)) return `${host} is an unspecified address`;
  if ((g0 & 0xffc0) === 0xfe80) return `${host} is a link-local address (fe80::/10)`;
  // fd00:ec2::254, the IPv6 address of the AWS instance metadata service
  if (g0 === 0xfd00 && g1 === 0x0ec2 && g2 + g3 + g4 + g5 + g6 === 0 && g7 === 0x254) {
    return `${host} is a cloud metadata endpoint`;
  }
  // ::ffff:a.b.c.d reaches the IPv4 address a.b.c.d
  if (g0 + g1 + g2 + g3 + g4 === 0 && g5 === 0xffff) {
    return ipv4Reason([g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff], host);
  }
  return undefined;
}

/**
 * Why `hostname` (a URL's hostname, IPv6 in brackets or not) is refused as a server for an uploaded
 * kubeconfig, or undefined when it is not one of the internal addresses above.
 */
export function internalAddressReason(hostname: string): string | undefined {
  const host = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (metadataNames.has(host)) return `${host} is a cloud metadata endpoint`;
  const v4 = parseIpv4(host);
  if (v4) return ipv4Reason(v4, host);
  const v6 = parseIpv6(host.replace(/%.*$/, ''));
  if (v6) return ipv6Reason(v6, host);
  return undefined;
}
