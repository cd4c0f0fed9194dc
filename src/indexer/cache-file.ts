// The indexer's cache files: a length-prefixed JSON header, then a body aligned to 4
// bytes (typed rows), written beside and renamed into place so an interrupted run
// leaves the previous file whole. A file that does not read back is no cache at all.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writingTo } from './file-errors.ts';

/** The header and a copy of the body (its own ArrayBuffer, so typed views start at 0), or undefined. */
export function readCacheFile<H>(file: string): { header: H; body: ArrayBuffer } | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const buf = readFileSync(file);
    const headerBytes = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + headerBytes).toString('utf8')) as H;
    const at = Math.ceil((4 + headerBytes) / 4) * 4;
    return { header, body: buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + buf.byteLength) };
  } catch {
    return undefined;
  }
}

export function writeCacheFile(file: string, header: object, body: readonly ArrayBufferView[]): void {
  writingTo(dirname(file), () => {
    mkdirSync(dirname(file), { recursive: true });
    const head = Buffer.from(JSON.stringify(header), 'utf8');
    let at = Math.ceil((4 + head.length) / 4) * 4;
    const out = Buffer.alloc(at + body.reduce((t, b) => t + b.byteLength, 0));
    out.writeUInt32LE(head.length, 0);
    head.copy(out, 4);
    for (const b of body) {
      out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at);
      at += b.byteLength;
    }
    writeFileSync(`${file}.tmp`, out);
    renameSync(`${file}.tmp`, file);
  });
}
