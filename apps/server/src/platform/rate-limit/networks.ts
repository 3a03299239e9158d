import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** A CIDR (`10.8.0.0/16`, `fd00::/8`) or a single address, as a range; throws on anything else. */
function parseRange(entry: string): Range {
  if (entry.includes('/')) return ipaddr.parseCIDR(entry);
  const address = ipaddr.parse(entry);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/**
 * `DOORSTEP_TRUSTED_NETWORKS`: comma-separated CIDRs or addresses. Returns the entries as given,
 * after checking each one parses (so a typo stops start-up rather than trusting nobody quietly).
 */
export function parseNetworkList(raw: string, name = 'DOORSTEP_TRUSTED_NETWORKS'): string[] {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    try {
      parseRange(entry);
    } catch {
      throw new Error(`${name}: "${entry}" is not an address or a CIDR such as 10.8.0.0/16`);
    }
  }
  return entries;
}

/**
 * Whether an address lies in one of the networks. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`,
 * what a dual-stack socket reports) are compared as the IPv4 address they carry.
 */
export function createNetworkMatcher(networks: readonly string[]): (ip: string) => boolean {
  const ranges = networks.map(parseRange);
  if (ranges.length === 0) return () => false;
  return (ip) => {
    let address: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      address = ipaddr.process(ip);
    } catch {
      return false;
    }
    return ranges.some(
      ([network, bits]) => network.kind() === address.kind() && address.match(network, bits),
    );
  };
}

/**
 * The part of an address that names one client: the address itself for IPv4, its /64 for IPv6 —
 * one household or phone is given a whole /64 and can pick any address in it.
 */
export function clientPrefix(ip: string): string {
  try {
    const address = ipaddr.process(ip);
    if (address.kind() === 'ipv4') return address.toString();
    return `${(address as ipaddr.IPv6).parts
      .slice(0, 4)
      .map((part) => part.toString(16))
      .join(':')}::/64`;
  } catch {
    return ip;
  }
}
