// A plain static file server, as a docs host would run: no COOP/COEP, no rewrites,
// a 404 for what is missing. Counts the bytes it sends per path, and the requests
// (method and path) it answers.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

export async function serveStatic(root: string): Promise<{
  url: string;
  sent: Map<string, number>;
  requests: string[];
  missing: string[];
  /** Sent with every answer while set (a Content-Security-Policy, say). */
  headers: Record<string, string>;
  close(): Promise<void>;
}> {
  const extraHeaders: Record<string, string> = {};
  const sent = new Map<string, number>();
  const requests: string[] = [];
  const missing: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(`${req.method} ${path}`);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      missing.push(path);
      return void res.writeHead(404).end('not found');
    }
    const { size, mtime } = statSync(file);
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    // Validators, as static hosts send them: a revisit asks If-None-Match and gets a 304 with no body.
    const etag = `"${size.toString(16)}-${mtime.getTime().toString(16)}"`;
    const validators = { etag, 'last-modified': mtime.toUTCString(), ...extraHeaders };
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, validators).end();
    if (req.method === 'HEAD') return void res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes', ...validators }).end();
    // One byte range, as static hosts answer it (RFC 9110 §14); anything else gets the whole file.
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range && Number(range[1]) <= Number(range[2]) && Number(range[2]) < size) {
      const [start, end] = [Number(range[1]), Number(range[2])];
      sent.set(path, (sent.get(path) ?? 0) + end - start + 1);
      res.writeHead(206, {
        'content-type': type,
        'content-length': end - start + 1,
        'content-range': `bytes ${start}-${end}/${size}`,
        'accept-ranges': 'bytes',
        ...validators,
      });
      createReadStream(file, { start, end }).pipe(res);
      return;
    }
    sent.set(path, (sent.get(path) ?? 0) + size);
    res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes', ...validators });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('static server has no port');
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    sent,
    requests,
    missing,
    headers: extraHeaders,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
