// Why a self-hosted model file was downloaded twice: before loading, transformers.js
// asks each file it expects for its size, and for a file under localModelPath it does
// so with a plain GET whose body it never reads (get_file_metadata in 4.3.1). The
// browser starts the whole download anyway, so a 133 MB model costs 266 MB. This fetch
// answers such GETs with a HEAD's status and headers and a body that is fetched only
// when something reads it: the size check costs a HEAD, the real load one GET.
// Range requests, other methods and every other URL (the Hub) go through untouched.

export function lazyBodyFetch(base: typeof fetch, isLocalModelFile: (url: URL) => boolean): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request?.url ?? String(input), globalThis.location?.href);
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const range = new Headers(init?.headers ?? request?.headers).has('Range');
    if (method !== 'GET' || range || !isLocalModelFile(url)) return base(input, init);
    const head = await base(url, { ...init, method: 'HEAD' });
    // A host that does not answer HEAD: the plain GET, as before.
    if (head.status === 405 || head.status === 501) return base(input, init);
    if (!head.ok) return head;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (!reader) {
            const res = await base(input, init);
            if (!res.ok || !res.body) throw new TypeError(`${url.pathname} answered ${res.status} after its HEAD answered ${head.status}`);
            reader = res.body.getReader();
          }
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => reader?.cancel(reason),
      },
      // Nothing is pulled (so nothing fetched) until a reader asks.
      { highWaterMark: 0 },
    );
    return new Response(body, { status: head.status, statusText: head.statusText, headers: head.headers });
  };
}
