import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import type { ResolveRule } from './resolving-proxy';

/** Sitemaps may be 50 MB uncompressed (sitemaps.org); nothing else fetched here is near it. */
export const MAX_FETCH_BYTES = 50 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 30_000;
/** The product token robots.txt groups are matched against (RFC 9309 §2.2.1). */
export const CRAWLER_TOKEN = 'PrivacyLensScan';

export interface FetchNetwork {
  /** The scan's `--resolve` and `--map-all`, as the resolving proxy takes them (`*` last). */
  rules: readonly ResolveRule[];
  insecure: boolean;
}

export interface Fetched {
  /** The address after redirects. */
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * GETs a sitemap, robots.txt or a page's HTML the way the scanned browser would reach it: the real host
 * name in the URL, the Host header and TLS's SNI, while `--resolve` / `--map-all` choose where the
 * connection goes (a staging copy, the offline demo shop) and `--insecure` accepts its certificate.
 * Redirects are followed; gzip is undone whether the server sent it as an encoding or as a `.gz` file.
 */
export async function fetchResource(url: string, network: FetchNetwork, redirects = 0): Promise<Fetched> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`${url}: only http:// and https:// can be fetched`);
  const secure = target.protocol === 'https:';
  const rule = network.rules.find((r) => r.host === target.hostname) ?? network.rules.find((r) => r.host === '*');
  const [connectHost, connectPort] = rule ? splitTarget(rule.target) : [target.hostname, Number(target.port || (secure ? 443 : 80))];
  const response = await new Promise<{ res: IncomingMessage; body: Buffer }>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      {
        host: connectHost,
        port: connectPort,
        method: 'GET',
        path: `${target.pathname}${target.search}`,
        headers: { host: target.host, 'user-agent': `Mozilla/5.0 (compatible; ${CRAWLER_TOKEN}/1.0)`, 'accept-encoding': 'gzip, deflate, br', accept: '*/*' },
        ...(secure ? { servername: target.hostname, rejectUnauthorized: !network.insecure } : {}),
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_FETCH_BYTES) req.destroy(new Error(`${url} is larger than ${MAX_FETCH_BYTES / 1024 / 1024} MB`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url} did not answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
  const { res } = response;
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (status >= 300 && status < 400 && location) {
    if (redirects >= MAX_REDIRECTS) throw new Error(`${url}: more than ${MAX_REDIRECTS} redirects`);
    return fetchResource(new URL(location, url).href, network, redirects + 1);
  }
  return { url, status, contentType: String(res.headers['content-type'] ?? ''), body: decode(response.body, String(res.headers['content-encoding'] ?? '')) };
}

function decode(body: Buffer, encoding: string): Buffer {
  const limit = { maxOutputLength: MAX_FETCH_BYTES };
  let out = body;
  if (/\bbr\b/i.test(encoding)) out = brotliDecompressSync(out, limit);
  else if (/\bdeflate\b/i.test(encoding)) out = inflateSync(out, limit);
  else if (/\bgzip\b/i.test(encoding)) out = gunzipSync(out, limit);
  // A sitemap.xml.gz is a gzip file, whatever the server says about it: its first two bytes tell.
  if (out.length > 2 && out[0] === 0x1f && out[1] === 0x8b) out = gunzipSync(out, limit);
  return out;
}

function splitTarget(target: string): [string, number] {
  const colon = target.lastIndexOf(':');
  return [target.slice(0, colon).replace(/^\[|\]$/g, ''), Number(target.slice(colon + 1))];
}
