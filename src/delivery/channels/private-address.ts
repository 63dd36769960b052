/**
 * Outbound targets (webhooks, Slack) must not reach the help desk's own network unless the
 * workspace allows it: a webhook URL is
 * written by an admin, but it is still a server-side request forgery waiting to happen — cloud
 * metadata at 169.254.169.254, the database on 10.0.0.5, the admin API on 127.0.0.1.
 *
 * The check runs on the addresses the name resolves to *at send time*, inside the socket's own
 * `lookup`, so the connection goes to the address that was checked: a name that resolves to a
 * public address for a check and to 127.0.0.1 for the connection (DNS rebinding) gets nowhere.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Not public unicast: the ranges of RFC 6890's special-purpose registries that matter here. */
const blocked = new BlockList();
// IPv4
blocked.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network", incl. the unspecified 0.0.0.0 (RFC 1122)
blocked.addSubnet('10.0.0.0', 8, 'ipv4'); // private (RFC 1918)
blocked.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT (RFC 6598)
blocked.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
blocked.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, cloud metadata (RFC 3927)
blocked.addSubnet('172.16.0.0', 12, 'ipv4'); // private
blocked.addSubnet('192.0.0.0', 24, 'ipv4'); // IETF protocol assignments
blocked.addSubnet('192.168.0.0', 16, 'ipv4'); // private
blocked.addSubnet('198.18.0.0', 15, 'ipv4'); // benchmarking (RFC 2544)
blocked.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
blocked.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved, incl. broadcast 255.255.255.255
// IPv6
blocked.addAddress('::', 'ipv6'); // unspecified
blocked.addAddress('::1', 'ipv6'); // loopback
blocked.addSubnet('fc00::', 7, 'ipv6'); // unique local (RFC 4193)
blocked.addSubnet('fe80::', 10, 'ipv6'); // link-local
blocked.addSubnet('fec0::', 10, 'ipv6'); // site-local (deprecated, RFC 3879, still routable inside)
blocked.addSubnet('ff00::', 8, 'ipv6'); // multicast

/**
 * `::ffff:a.b.c.d` in any spelling (IPv4-mapped, RFC 4291 §2.5.5.2) → `a.b.c.d`, else null. The
 * WHATWG URL serialiser canonicalises IPv6 (lower case, `::` compression, the mapped tail as two
 * hex groups), so one pattern covers `::ffff:127.0.0.1`, `0:0:0:0:0:ffff:7f00:1` and the rest.
 */
function mappedIpv4(address: string): string | null {
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (hex?.[1] === undefined || hex[2] === undefined) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * True for an address a public target never has: loopback, private (RFC 1918), link-local,
 * carrier-grade NAT, unique-local IPv6, unspecified, multicast, reserved — and IPv4-mapped IPv6
 * forms of those. Anything that is not an IP address at all counts as private (refuse what we
 * cannot classify).
 */
export function isPrivateAddress(address: string): boolean {
  const unbracketed = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // A zone id (`fe80::1%eth0`) names an interface, not a different address.
  const bare = unbracketed.replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = mappedIpv4(bare);
    if (v4 !== null) return blocked.check(v4, 'ipv4');
    return blocked.check(bare, 'ipv6');
  }
  return true;
}

/** A target the guard refused: never worth a retry (the outbox dead-letters it at once). */
export class RefusedTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedTargetError';
  }
}

/** Only http(s); refuses credentials in the URL too (they would leak into logs and errors). */
export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedTargetError(`"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RefusedTargetError(`${url.protocol} targets are refused: only http and https`);
  }
  return url;
}

/** The URL without query and credentials, for error messages and the deliveries list. */
export function describeTarget(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;
const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * A `lookup` for `http.request`/`net.connect`: resolves the name, refuses when any of its
 * addresses is private (a name with one public and one private address is a rebinding setup, not
 * an accident), and hands the socket exactly the addresses it checked.
 */
export function guardedLookup(options: { readonly allowPrivate: boolean; readonly resolve?: Resolve }): LookupFunction {
  const resolve = options.resolve ?? systemResolve;
  return (hostname, lookupOptions, callback) => {
    resolve(hostname)
      .then((addresses) => {
        if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
        if (!options.allowPrivate) {
          const refused = addresses.find((a) => isPrivateAddress(a.address));
          if (refused !== undefined) {
            throw new RefusedTargetError(`${hostname} resolves to the private address ${refused.address}; set notifications.allowPrivateNetworks to allow it`);
          }
        }
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? addresses.filter((a) => a.family === lookupOptions.family) : addresses;
        const usable = wanted.length > 0 ? wanted : addresses;
        if (lookupOptions.all === true) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      })
      .catch((error: unknown) => callback(error as NodeJS.ErrnoException, '', 0));
  };
}

/**
 * Check before connecting: an IP literal host never goes through `lookup` (net.connect skips it),
 * so it is classified here; a name is classified by `guardedLookup` when the socket connects.
 */
export function assertLiteralHostAllowed(url: URL, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) !== 0 && isPrivateAddress(host)) {
    throw new RefusedTargetError(`${host} is a private address; set notifications.allowPrivateNetworks to allow it`);
  }
}
