import { describe, expect, it } from 'vitest';
import { addressRefusal, httpAllowed } from './classify.js';
import { cidr, formatIp, parseCidr, parseIp, type Ip } from './ip.js';

const ip = (text: string): Ip => {
  const parsed = parseIp(text);
  if (parsed === undefined) throw new Error(`not an IP: ${text}`);
  return parsed;
};

describe('parseIp and formatIp', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '::1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['::FFFF:7F00:1', '::ffff:7f00:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['::', '::'],
  ])('%s is %s', (text, shown) => {
    expect(formatIp(ip(text))).toBe(shown);
  });

  it.each(['localhost', '1.2.3', '256.1.1.1', 'example.com', '::g'])('%s is no IP', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it.each([
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['fd00::1/8', 'fd00::/8'],
    ['192.0.2.7', '192.0.2.7/32'],
  ])('reads the block %s', (text, network) => {
    const block = parseCidr(text);
    expect(block && `${formatIp(block)}/${block.prefix}`).toBe(network);
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/x', 'example.com/8', ''])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('addressRefusal', () => {
  it.each([
    ['127.0.0.1', 'a loopback address', '127.0.0.0/8'],
    ['127.255.0.9', 'a loopback address', '127.0.0.0/8'],
    ['10.0.0.1', 'a private address', '10.0.0.0/8'],
    ['172.16.5.4', 'a private address', '172.16.0.0/12'],
    ['172.31.255.255', 'a private address', '172.16.0.0/12'],
    ['192.168.1.1', 'a private address', '192.168.0.0/16'],
    ['169.254.169.254', 'the cloud metadata address', '169.254.169.254/32'],
    ['169.254.1.1', 'a link-local address', '169.254.0.0/16'],
    ['100.64.0.1', 'a carrier-grade NAT address', '100.64.0.0/10'],
    ['100.127.255.254', 'a carrier-grade NAT address', '100.64.0.0/10'],
    ['100.100.100.200', 'the cloud metadata address', '100.100.100.200/32'],
    ['0.0.0.0', 'an unspecified address', '0.0.0.0/8'],
    ['224.0.0.1', 'a multicast address', '224.0.0.0/4'],
    ['255.255.255.255', 'a reserved address', '240.0.0.0/4'],
    ['::', 'an unspecified address', '::/128'],
    ['::1', 'a loopback address', '::1/128'],
    ['fd12:3456::1', 'a unique local address', 'fc00::/7'],
    ['fd00:ec2::254', 'the cloud metadata address', 'fd00:ec2::254/128'],
    ['fe80::1', 'a link-local address', 'fe80::/10'],
    ['ff02::1', 'a multicast address', 'ff00::/8'],
  ])('refuses %s as %s', (text, label, range) => {
    expect(addressRefusal(ip(text), [])).toEqual({ address: formatIp(ip(text)), label, range });
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1', 'IPv4-mapped', 'a loopback address'],
    ['::ffff:7f00:1', '127.0.0.1', 'IPv4-mapped', 'a loopback address'],
    ['::ffff:169.254.169.254', '169.254.169.254', 'IPv4-mapped', 'the cloud metadata address'],
    ['::127.0.0.1', '127.0.0.1', 'IPv4-compatible', 'a loopback address'],
    ['::ffff:0:10.0.0.1', '10.0.0.1', 'IPv4-translated', 'a private address'],
    ['64:ff9b::7f00:1', '127.0.0.1', 'NAT64', 'a loopback address'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254', 'NAT64', 'the cloud metadata address'],
    ['2002:7f00:1::', '127.0.0.1', '6to4', 'a loopback address'],
    ['2002:a00:1:1::1', '10.0.0.1', '6to4', 'a private address'],
    // Teredo: the client address 127.0.0.1 inverted in the last 32 bits
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', '127.0.0.1', 'Teredo', 'a loopback address'],
  ])('refuses %s, which reaches %s (%s)', (text, address, form, label) => {
    expect(addressRefusal(ip(text), [])).toMatchObject({
      address,
      label,
      via: `${formatIp(ip(text))} (${form})`,
    });
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.0',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows the public address %s', (text) => {
    expect(addressRefusal(ip(text), [])).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', ['127.0.0.0/8']],
    ['::1', ['::1/128']],
    ['10.2.3.4', ['10.2.0.0/16']],
    ['::ffff:127.0.0.1', ['127.0.0.0/8']],
    ['192.168.0.10', ['192.168.0.10']],
  ])('allows %s inside %j', (text, allowed) => {
    expect(addressRefusal(ip(text), allowed.map(cidr))).toBeUndefined();
  });

  it.each([
    ['10.3.0.1', ['10.2.0.0/16']],
    ['127.0.0.1', ['::1/128']],
    ['::1', ['127.0.0.0/8']],
    ['169.254.169.254', ['127.0.0.0/8']],
  ])('still refuses %s with only %j allowed', (text, allowed) => {
    expect(addressRefusal(ip(text), allowed.map(cidr))).toBeDefined();
  });
});

describe('httpAllowed', () => {
  it.each([
    ['127.0.0.1', [], false],
    ['8.8.8.8', [], false],
    ['127.0.0.1', ['127.0.0.0/8'], true],
    ['::ffff:127.0.0.1', ['127.0.0.0/8'], true],
    ['10.0.0.1', ['127.0.0.0/8'], false],
  ] as const)('%s with %j: %s', (text, blocks, allowed) => {
    expect(httpAllowed(ip(text), blocks.map(cidr))).toBe(allowed);
  });
});
