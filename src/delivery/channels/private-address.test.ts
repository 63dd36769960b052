import { describe, expect, it } from 'vitest';
import { assertLiteralHostAllowed, guardedLookup, isPrivateAddress, parseTargetUrl, RefusedTargetError } from './private-address.js';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with a zone'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['0:0:0:0:0:ffff:a00:1', 'IPv4-mapped private, long form'],
    ['[::1]', 'bracketed, as in a URL'],
    ['localhost', 'not an address at all'],
  ])('refuses %s (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8'])(
    'lets the public address %s through',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('target URLs', () => {
  it('refuses schemes other than http and https', () => {
    expect(() => parseTargetUrl('file:///etc/passwd')).toThrow(RefusedTargetError);
    expect(() => parseTargetUrl('gopher://example.com/')).toThrow(/only http and https/);
    expect(() => parseTargetUrl('not a url')).toThrow(RefusedTargetError);
    expect(parseTargetUrl('https://hooks.slack.com/services/T/B/X').hostname).toBe('hooks.slack.com');
  });

  it('refuses IP literal hosts in private ranges, unless allowed', () => {
    expect(() => assertLiteralHostAllowed(new URL('http://169.254.169.254/latest/meta-data'), false)).toThrow(/private address/);
    expect(() => assertLiteralHostAllowed(new URL('http://[::1]:8080/'), false)).toThrow(/private address/);
    expect(() => assertLiteralHostAllowed(new URL('http://[::ffff:127.0.0.1]/'), false)).toThrow(/private address/);
    expect(() => assertLiteralHostAllowed(new URL('http://127.0.0.1/'), true)).not.toThrow();
    expect(() => assertLiteralHostAllowed(new URL('http://93.184.216.34/'), false)).not.toThrow();
    // A name is checked at connect time, by the lookup.
    expect(() => assertLiteralHostAllowed(new URL('http://localhost/'), false)).not.toThrow();
  });
});

describe('guardedLookup', () => {
  function lookupWith(addresses: { address: string; family: number }[], allowPrivate = false, all = false) {
    const lookup = guardedLookup({ allowPrivate, resolve: async () => addresses });
    return new Promise<{ error: Error | null; result: unknown }>((resolve) => {
      lookup('hooks.example.test', { all }, (error, address, family) => resolve({ error, result: all ? address : { address, family } }));
    });
  }

  it('connects to the address it checked', async () => {
    expect(await lookupWith([{ address: '93.184.216.34', family: 4 }])).toEqual({ error: null, result: { address: '93.184.216.34', family: 4 } });
    expect((await lookupWith([{ address: '93.184.216.34', family: 4 }], false, true)).result).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('refuses a name with any private address among its answers (DNS rebinding setups)', async () => {
    const { error } = await lookupWith([
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ]);
    expect(error).toBeInstanceOf(RefusedTargetError);
    expect(error?.message).toContain('hooks.example.test resolves to the private address 10.0.0.5');
  });

  it('lets private answers through when the workspace allows private networks', async () => {
    expect((await lookupWith([{ address: '127.0.0.1', family: 4 }], true)).error).toBeNull();
  });
});
