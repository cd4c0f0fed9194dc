// Platform detection in one place; nothing else sniffs globals.

export const IS_NODE =
  typeof process !== 'undefined' &&
  !!(process as { versions?: { node?: string } }).versions?.node &&
  typeof (globalThis as { window?: unknown }).window === 'undefined' &&
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined';

export const IS_CROSS_ORIGIN_ISOLATED = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

export function hardwareThreads(): number {
  return (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1;
}

/** Resolves a usable WebGPU adapter, or the reason there is none. */
export async function probeWebGPU(): Promise<{ ok: true; description: string } | { ok: false; reason: string }> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return { ok: false, reason: 'navigator.gpu is missing (WebGPU not supported or disabled)' };
  let adapter: { info?: { vendor?: string; architecture?: string; isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean } | null;
  try {
    adapter = (await gpu.requestAdapter()) as typeof adapter;
  } catch (err) {
    return { ok: false, reason: `requestAdapter failed: ${String(err)}` };
  }
  if (!adapter) return { ok: false, reason: 'navigator.gpu.requestAdapter() returned no adapter' };
  const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const description = [adapter.info?.vendor, adapter.info?.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  if (fallback) return { ok: false, reason: `only a software fallback adapter (${description}) is available; WASM is faster` };
  return { ok: true, description };
}
