// A Vite dev server over the repository, for pages that exist only for tests and
// benchmarks (e2e/pages, bench/browser). It sends the same COOP/COEP headers.
import { createServer, type ViteDevServer } from 'vite';

export async function startLabServer(): Promise<{ url: string; server: ViteDevServer }> {
  const server = await createServer({ server: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn', clearScreen: false });
  await server.listen();
  const addr = server.httpServer?.address();
  if (!addr || typeof addr === 'string') throw new Error('lab server has no port');
  return { url: `http://127.0.0.1:${addr.port}/`, server };
}
