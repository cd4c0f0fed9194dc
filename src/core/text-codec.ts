// UTF-8 through the platform's TextEncoder/TextDecoder (Node, pages and workers
// all have them); typed here because the core compiles without DOM typings.
interface Codecs {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(b: Uint8Array): string };
}
const codecs = globalThis as unknown as Codecs;
const encoder = new codecs.TextEncoder();
const decoder = new codecs.TextDecoder('utf-8', { fatal: true });

export const encodeUtf8 = (s: string): Uint8Array => encoder.encode(s);
/** Throws on malformed UTF-8 rather than inventing replacement characters. */
export const decodeUtf8 = (b: Uint8Array): string => decoder.decode(b);
