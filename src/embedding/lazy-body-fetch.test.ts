import { describe, expect, it } from 'vitest';
import { lazyBodyFetch } from './lazy-body-fetch.ts';

function fakeHost(headAllowed = true) {
  const calls: string[] = [];
  const base = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const range = new Headers(init?.headers).get('Range');
    calls.push(`${method} ${new URL(String(input)).pathname}${range ? ` ${range}` : ''}`);
    if (String(input).includes('missing')) return new Response(null, { status: 404 });
    if (method === 'HEAD') return headAllowed ? new Response(null, { status: 200, headers: { 'content-length': '5' } }) : new Response(null, { status: 405 });
    return new Response('model', { status: 200, headers: { 'content-length': '5' } });
  }) as typeof fetch;
  const wrapped = lazyBodyFetch(base, (url) => url.pathname.startsWith('/models/'));
  return { calls, wrapped };
}

describe('lazyBodyFetch', () => {
  it('answers a GET of a self-hosted model file with a HEAD, and fetches the body only when it is read', async () => {
    const { calls, wrapped } = fakeHost();
    const size = await wrapped('https://site.test/models/m/onnx/model.onnx');
    expect(size.headers.get('content-length')).toBe('5');
    expect(calls).toEqual(['HEAD /models/m/onnx/model.onnx']);
    const load = await wrapped('https://site.test/models/m/onnx/model.onnx');
    expect(await load.text()).toBe('model');
    expect(calls).toEqual(['HEAD /models/m/onnx/model.onnx', 'HEAD /models/m/onnx/model.onnx', 'GET /models/m/onnx/model.onnx']);
  });

  it('passes a missing file’s status on, and leaves range requests, other origins’ files and hosts without HEAD as they were', async () => {
    const { calls, wrapped } = fakeHost();
    expect((await wrapped('https://site.test/models/missing.json')).status).toBe(404);
    await wrapped('https://site.test/models/m/config.json', { headers: { Range: 'bytes=0-0' } });
    await wrapped('https://huggingface.co/m/resolve/main/config.json');
    expect(calls).toEqual(['HEAD /models/missing.json', 'GET /models/m/config.json bytes=0-0', 'GET /m/resolve/main/config.json']);
    const noHead = fakeHost(false);
    expect(await (await noHead.wrapped('https://site.test/models/m/config.json')).text()).toBe('model');
    expect(noHead.calls).toEqual(['HEAD /models/m/config.json', 'GET /models/m/config.json']);
  });
});
