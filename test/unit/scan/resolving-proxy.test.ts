import { createServer as createHttpServer } from 'node:http';
import { createServer, connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { routeFor, startResolvingProxy, type ResolvingProxy } from '../../../lib/scan/resolving-proxy';

describe('routeFor', () => {
  const rules = [
    { host: 'www.mijnliefsteboek.nl', target: '10.0.0.5:443' },
    { host: '*', target: '127.0.0.1:8443' },
  ];
  it.each([
    ['www.mijnliefsteboek.nl', 443, { host: '10.0.0.5', port: 443 }],
    ['WWW.MIJNLIEFSTEBOEK.NL', 443, { host: '10.0.0.5', port: 443 }],
    ['connect.facebook.net', 443, { host: '127.0.0.1', port: 8443 }],
  ])('sends %s:%i to its rule, or to the catch-all', (host, port, expected) => {
    expect(routeFor(rules, host, port)).toEqual(expected);
  });
  it('leaves a host without a rule to DNS, and reads IPv6 targets', () => {
    expect(routeFor([{ host: 'a.example', target: '[::1]:9000' }], 'b.example', 443)).toEqual({ host: 'b.example', port: 443 });
    expect(routeFor([{ host: 'a.example', target: '[::1]:9000' }], 'a.example', 443)).toEqual({ host: '::1', port: 9000 });
  });
});

describe('the resolving proxy', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
  });

  async function listen(server: { listen(port: number, host: string, cb: () => void): void; address(): unknown; close(cb: () => void): void }) {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    return (server.address() as AddressInfo).port;
  }
  async function proxyTo(port: number): Promise<ResolvingProxy> {
    const proxy = await startResolvingProxy([{ host: '*', target: `127.0.0.1:${port}` }]);
    closers.push(() => proxy.close());
    return proxy;
  }
  function exchange(port: number, request: string): Promise<string> {
    return new Promise((resolve, reject) => {
      let answer = '';
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  it('tunnels CONNECT to the mapped address, bytes unchanged in both directions', async () => {
    const echo = createServer((socket) => socket.on('data', (d) => socket.end(Buffer.concat([Buffer.from('echo:'), d]))));
    const proxy = await proxyTo(await listen(echo));
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(proxy.port, '127.0.0.1', () => socket.write('CONNECT www.mijnliefsteboek.nl:443 HTTP/1.1\r\nHost: www.mijnliefsteboek.nl:443\r\n\r\n'));
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1');
        if (text.endsWith('\r\n\r\n')) socket.write('\u0016hello');
      });
      socket.on('end', () => resolve(text));
    });
    expect(answer).toBe('HTTP/1.1 200 Connection Established\r\n\r\necho:\u0016hello');
  });

  it('forwards plain http:// with its Host header and without hop-by-hop headers', async () => {
    const seen: { url?: string; host?: string; proxyAuth?: string } = {};
    const origin = createHttpServer((req, res) => {
      Object.assign(seen, { url: req.url, host: req.headers.host, proxyAuth: req.headers['proxy-authorization'] });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('hel');
      res.end('lo');
    });
    const proxy = await proxyTo(await listen(origin));
    const answer = await exchange(proxy.port, 'GET http://www.mijnliefsteboek.nl/over?x=1 HTTP/1.1\r\nHost: www.mijnliefsteboek.nl\r\nProxy-Authorization: secret\r\nConnection: keep-alive\r\n\r\n');
    expect(seen).toEqual({ url: '/over?x=1', host: 'www.mijnliefsteboek.nl', proxyAuth: undefined });
    expect(answer.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(answer).not.toMatch(/transfer-encoding/i);
    expect(answer.endsWith('\r\n\r\nhello')).toBe(true);
  });

  it('answers 502 when the mapped address does not answer, and 400 to anything that is not a proxy request', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    closers.pop();
    const proxy = await proxyTo(port);
    expect(await exchange(proxy.port, 'CONNECT a.example:443 HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 502/);
    expect(await exchange(proxy.port, 'GET /relative HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
  });
});
