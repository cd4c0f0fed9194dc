// Comlink sends thrown errors as {name, message, stack}; this keeps our `code`
// and `details` too, so `err.code` works on the page as it does in the worker.
// Installed on the worker side (serialize); comlink's deserialize copies every field back.
import * as Comlink from 'comlink';

interface SerializedThrow {
  isError: boolean;
  value: unknown;
}

export function installErrorTransfer(): void {
  const original = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<unknown, SerializedThrow> | undefined;
  if (!original) return;
  Comlink.transferHandlers.set('throw', {
    canHandle: original.canHandle,
    deserialize: original.deserialize,
    serialize(thrown: unknown): [SerializedThrow, Transferable[]] {
      const value = (thrown as { value?: unknown }).value;
      if (value instanceof Error) {
        const { code, details } = value as Error & { code?: unknown; details?: unknown };
        let safeDetails: unknown;
        try {
          safeDetails = details === undefined ? undefined : structuredClone(details);
        } catch {
          safeDetails = undefined;
        }
        return [{ isError: true, value: { name: value.name, message: value.message, stack: value.stack, code, details: safeDetails } }, []];
      }
      return original.serialize(thrown);
    },
  });
}
