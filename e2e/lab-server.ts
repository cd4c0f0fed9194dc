// A Vite dev server over the repository, for pages that exist only for tests and
// benchmarks (e2e/pages, bench/browser). It sends the same COOP/COEP headers
// (unless a page asks for ?isolation=off).
import { createServer, type Plugin, type ViteDevServer } from 'vite';

/** A page asked for with `?isolation=off` gets no COOP/COEP headers: it is not cross-origin isolated, as on most static hosts. */
const isolationOff: Plugin = {
  name: 'lab-isolation-off',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if (req.url?.includes('isolation=off')) {
        const setHeader = res.setHeader.bind(res);
        res.setHeader = (name, value) => (/^cross-origin-(opener|embedder)-policy$/i.test(name) ? res : setHeader(name, value));
      }
      next();
    });
  },
};

export async function startLabServer(): Promise<{ url: string; server: ViteDevServer }> {
  const server = await createServer({
    server: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'warn',
    clearScreen: false,
    plugins: [isolationOff],
  });
  await server.listen();
  const addr = server.httpServer?.address();
  if (!addr || typeof addr === 'string') throw new Error('lab server has no port');
  return { url: `http://127.0.0.1:${addr.port}/`, server };
}
