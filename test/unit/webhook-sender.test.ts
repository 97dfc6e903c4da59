// The outbound sender's SSRF guard, on real sockets: which addresses and URLs are refused (IPv4,
// IPv6, IPv4-mapped IPv6, metadata), that a name is judged by every address it resolves to, that
// the connection goes to the address that was checked (a rebinding resolver cannot switch it), and
// the attempt's timeout.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedAddress, refusedUrl, SafeWebhookSender } from '../../functions/adapters/http/webhook-sender.js';

let server: Server;
let port: number;
const hits: string[] = [];
let connections = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(`${request.headers.host} ${request.url}`);
    if (request.url === '/slow') return; // never answers
    response.writeHead(request.url === '/moved' ? 302 : 204, request.url === '/moved' ? { location: 'http://127.0.0.1/' } : {});
    response.end();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('refused addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'], // the instance metadata service
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'], // the metadata service over IPv6
    ['::ffff:10.0.0.1', 'private'], // IPv4-mapped IPv6 is judged as its IPv4 address
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
  ])('%s is refused (%s)', (address, range) => {
    expect(refusedAddress(address, false)).toBe(`${address} is a ${range} address`);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34'])('%s is allowed', (address) => {
    expect(refusedAddress(address, false)).toBeUndefined();
  });

  it('loopback is allowed only with the local-mode setting, private ranges never', () => {
    expect(refusedAddress('127.0.0.1', true)).toBeUndefined();
    expect(refusedAddress('::1', true)).toBeUndefined();
    expect(refusedAddress('10.0.0.1', true)).toBe('10.0.0.1 is a private address');
  });
});

describe('refused URLs', () => {
  it('only https://, no credentials; http:// only to loopback and only in local mode', () => {
    expect(refusedUrl('https://crm.example.org/hooks', false)).toBeUndefined();
    expect(refusedUrl('http://crm.example.org/hooks', false)).toBe('must be an https:// URL');
    expect(refusedUrl('http://127.0.0.1:8080/hooks', false)).toBe('must be an https:// URL');
    expect(refusedUrl('http://127.0.0.1:8080/hooks', true)).toBeUndefined();
    expect(refusedUrl('http://[::1]:8080/hooks', true)).toBeUndefined();
    expect(refusedUrl('http://localhost.example.org/hooks', true)).toMatch(/loopback/);
    expect(refusedUrl('https://user:pw@crm.example.org/', false)).toBe('must not carry a user name or password');
    expect(refusedUrl('not a url', false)).toBe('is not a URL');
  });
});

describe('sending', () => {
  const sender = (resolve: (host: string) => Promise<Array<{ address: string; family: number }>>, timeoutMs?: number) =>
    new SafeWebhookSender({ allowLoopback: true, resolve, ...(timeoutMs ? { timeoutMs } : {}) });

  it('refuses a name when any address it resolves to is refused, and sends nothing', async () => {
    const before = hits.length;
    const result = await new SafeWebhookSender({
      allowLoopback: false,
      resolve: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ],
    }).send('https://mixed.example.org/hooks', {}, '{}');
    expect(result.error).toBe('refused: mixed.example.org resolves to 10.0.0.7 is a private address');
    expect(hits.length).toBe(before);
  });

  it('connects to the address it checked: a resolver that would answer differently the second time is asked once', async () => {
    let asked = 0;
    const rebinding = async () => (asked++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }]);
    // "rebind.invalid" exists in no DNS: reaching the server proves the connection used the checked address.
    const result = await sender(rebinding).send(`http://127.0.0.1:${port}/first`, {}, '{}');
    expect(result.status).toBe(204);
    const connectedBefore = connections;
    const named = await new SafeWebhookSender({ allowLoopback: true, resolve: rebinding }).send(
      `https://rebind.invalid:${port}/named`,
      {},
      '{}',
    );
    expect(asked).toBe(1);
    // https to a plain http server fails the TLS handshake, but only after connecting to 127.0.0.1:port.
    expect(named.error).toBeDefined();
    expect(named.error).not.toMatch(/resolve|ENOTFOUND|refused/);
    expect(connections).toBe(connectedBefore + 1);
  });

  it('answers a 3xx as it is (no redirect followed), and gives up on a receiver that does not answer in time', async () => {
    const moved = await sender(async () => []).send(`http://127.0.0.1:${port}/moved`, {}, '{}');
    expect(moved.status).toBe(302);
    expect(hits.filter((h) => h.endsWith(' /')).length).toBe(0);
    const slow = await sender(async () => [], 300).send(`http://127.0.0.1:${port}/slow`, {}, '{}');
    expect(slow).toMatchObject({ error: 'no answer within 0.3 s' });
    expect(slow.status).toBeUndefined();
  });
});
