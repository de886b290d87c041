import { request as httpRequest } from 'node:http';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/** `--resolve HOST=ADDR:PORT` and `--map-all ADDR:PORT` (host `*`), as parsed by lib/scan/args. */
export interface ResolveRule {
  host: string;
  target: string;
}

/** Headers that belong to one connection, not to the request or answer: not passed on. */
const HOP_BY_HOP = /^(connection|keep-alive|proxy-[a-z-]+|transfer-encoding|te|trailer|upgrade)$/i;

export interface ResolvingProxy {
  port: number;
  close(): Promise<void>;
}

/** Where a host goes: its own rule first, then the catch-all, else where DNS sends it. */
export function routeFor(rules: readonly ResolveRule[], host: string, port: number): { host: string; port: number } {
  const rule = rules.find((r) => r.host === host.toLowerCase()) ?? rules.find((r) => r.host === '*');
  if (!rule) return { host, port };
  const split = rule.target.lastIndexOf(':');
  return { host: rule.target.slice(0, split).replace(/^\[|\]$/g, ''), port: Number(rule.target.slice(split + 1)) };
}

/**
 * A local HTTP proxy that gives Firefox what Chromium's host-resolver rules give it: the real host
 * names, sent to another address. https:// arrives as `CONNECT host:443` and is tunnelled byte for byte
 * (TLS and its SNI stay end to end, so the staging copy sees the real host name); plain http:// is
 * forwarded with its Host header. Listens on 127.0.0.1 only.
 */
export async function startResolvingProxy(rules: readonly ResolveRule[]): Promise<ResolvingProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.once('data', (first) => {
      const head = first.toString('latin1');
      const line = head.slice(0, head.indexOf('\r\n'));
      const [method, target] = line.split(' ');
      if (method === 'CONNECT' && target) return tunnel(client, target, first.subarray(head.indexOf('\r\n\r\n') + 4));
      if (method && target?.startsWith('http://')) return forward(client, first, method, new URL(target));
      client.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    });
  });

  function tunnel(client: Socket, authority: string, rest: Buffer) {
    const split = authority.lastIndexOf(':');
    const to = routeFor(rules, authority.slice(0, split), Number(authority.slice(split + 1)) || 443);
    const upstream = connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (rest.length) upstream.write(rest);
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n'));
  }

  /**
   * Plain http:// through the proxy, one request per connection: the answer is sent with `Connection:
   * close` and delimited by closing, so a decoded body never meets a stale `Transfer-Encoding`.
   */
  function forward(client: Socket, first: Buffer, method: string, url: URL) {
    const text = first.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return client.end('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const field of text.slice(text.indexOf('\r\n') + 2, end).split('\r\n')) {
      const colon = field.indexOf(':');
      const name = field.slice(0, colon);
      if (colon > 0 && !HOP_BY_HOP.test(name)) headers[name] = field.slice(colon + 1).trim();
    }
    headers.Connection = 'close';
    const to = routeFor(rules, url.hostname, Number(url.port) || 80);
    const upstream = httpRequest({ host: to.host, port: to.port, method, path: url.pathname + url.search, headers }, (response) => {
      let head = `HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\n`;
      for (let i = 0; i < response.rawHeaders.length; i += 2) {
        if (!HOP_BY_HOP.test(response.rawHeaders[i]!)) head += `${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}\r\n`;
      }
      client.write(`${head}Connection: close\r\n\r\n`);
      response.pipe(client);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n'));
    const body = first.subarray(end + 4);
    const length = Number(headers['Content-Length'] ?? headers['content-length'] ?? 0);
    if (body.length) upstream.write(body);
    if (length > body.length) client.pipe(upstream);
    else upstream.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
