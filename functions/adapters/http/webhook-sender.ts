// One outbound webhook attempt, safe against server-side request forgery: the URL's host is
// resolved first, every address it resolves to must be a public unicast one (no private, loopback,
// link-local, metadata, multicast or reserved range, IPv4 or IPv6, IPv4-mapped and NAT64 forms
// included: ipaddr.js classifies them), and the connection is made to the address that was checked
// (the request's DNS lookup is pinned to it), so a second resolution cannot switch it (DNS
// rebinding). HTTPS only, unless a setting allows http:// to loopback for local mode. No redirect
// is followed: a 3xx is an answer like any other, and a failure.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ATTEMPT_TIMEOUT_MS } from '../../domain/outbound-events.js';
import type { SendResult, WebhookSender } from '../../use-cases/ports/outbound.js';

/** Bytes of the receiver's answer kept in the delivery log. */
const RESPONSE_BYTES = 1024;

export interface SenderOptions {
  /** Local mode only (OUTBOUND_ALLOW_LOOPBACK=1): http:// and https:// to loopback addresses are allowed. */
  allowLoopback: boolean;
  timeoutMs?: number;
  /** The resolver (tests give one that answers what a rebinding attacker would). */
  resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

/** Why an address may not be sent to, or undefined when it is a public unicast address. */
export function refusedAddress(address: string, allowLoopback: boolean): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && allowLoopback) return undefined;
  return `${address} is a ${range} address`;
}

/** Why a URL may not be an endpoint's (at registration and again at every send), or undefined. */
export function refusedUrl(url: string, allowLoopback: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && allowLoopback) {
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback'
      ? undefined
      : 'may use http:// only for a loopback address (127.0.0.1 or [::1]) in local mode';
  }
  return 'must be an https:// URL';
}

const systemResolve = (host: string) => dnsLookup(host, { all: true, verbatim: true });

export class SafeWebhookSender implements WebhookSender {
  constructor(private readonly options: SenderOptions) {}

  refusedUrl(url: string): string | undefined {
    return refusedUrl(url, this.options.allowLoopback);
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    const refusedHere = refusedUrl(url, this.options.allowLoopback);
    if (refusedHere) return { error: `the URL ${refusedHere}`, durationMs: took() };
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    let addresses: Array<{ address: string; family: number }>;
    try {
      addresses = ipaddr.isValid(host)
        ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
        : await (this.options.resolve ?? systemResolve)(host);
    } catch (error) {
      return { error: `could not resolve ${host}: ${(error as Error).message}`, durationMs: took() };
    }
    if (addresses.length === 0) return { error: `${host} resolves to no address`, durationMs: took() };
    // Every address must be allowed: a name that resolves to a public and a private one is refused.
    const refused = addresses.map((a) => refusedAddress(a.address, this.options.allowLoopback)).find((r) => r !== undefined);
    if (refused) return { error: `refused: ${host} resolves to ${refused}`, durationMs: took() };
    const pinned = addresses[0]!;
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: typeof addresses) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const timeoutMs = this.options.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
    return new Promise<SendResult>((resolve) => {
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        target,
        {
          method: 'POST',
          lookup,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Baton-Webhooks/1.0',
          },
          signal: AbortSignal.timeout(timeoutMs),
          ...(target.protocol === 'https:' ? { servername: ipaddr.isValid(host) ? undefined : host } : {}),
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (size < RESPONSE_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              durationMs: took(),
              response: Buffer.concat(chunks).subarray(0, RESPONSE_BYTES).toString('utf8'),
            }),
          );
          response.on('error', (error) => resolve({ status: response.statusCode ?? 0, error: error.message, durationMs: took() }));
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) =>
        resolve({
          error: error.name === 'AbortError' || error.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : error.message,
          durationMs: took(),
        }),
      );
      request.end(body);
    });
  }
}
