// One postings shard of a learned-sparse index, as bytes: for each of its tokens, the
// token, its query weight, and the passages that carry it (rows as varint gaps, then
// one byte of weight each). Compact before compression, and a static host's brotli
// takes the rest.
import { createError } from './errors.ts';

const MAGIC = [0x50, 0x53, 0x50, 0x31]; // 'PSP1'

export interface TokenPostings {
  /** The token's query weight (idf.json). */
  queryWeight: number;
  /** Passage rows, ascending. */
  rows: Uint32Array;
  /** Each row's document weight, in units of the index's weightScale. */
  weights: Uint8Array;
}

class ByteWriter {
  private buf = new Uint8Array(1024);
  length = 0;
  private room(n: number) {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  varint(v: number) {
    this.room(5);
    while (v >= 0x80) {
      this.buf[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.length++] = v;
  }
  bytes(b: Uint8Array) {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  f32(v: number) {
    this.room(4);
    new DataView(this.buf.buffer).setFloat32(this.length, v, true);
    this.length += 4;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function encodePostingsShard(tokens: ReadonlyMap<string, TokenPostings>): Uint8Array {
  const w = new ByteWriter();
  w.bytes(Uint8Array.from(MAGIC));
  w.varint(tokens.size);
  const utf8 = new TextEncoder();
  for (const [token, p] of [...tokens].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const t = utf8.encode(token);
    w.varint(t.length);
    w.bytes(t);
    w.f32(p.queryWeight);
    w.varint(p.rows.length);
    let last = 0;
    for (const r of p.rows) {
      w.varint(r - last);
      last = r;
    }
    w.bytes(p.weights);
  }
  return w.done();
}

export function decodePostingsShard(bytes: Uint8Array, where: string): Map<string, TokenPostings> {
  const bad = (why: string) =>
    createError('CORRUPT_INDEX', `${where} is not a pagesense postings shard (${why}); run \`pagesense index\` again and deploy its folder whole`);
  if (bytes.length < 5 || MAGIC.some((m, i) => bytes[i] !== m)) throw bad('no PSP1 header');
  let at = 4;
  const varint = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length || shift > 28) throw bad('truncated');
      const b = bytes[at++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder();
  const out = new Map<string, TokenPostings>();
  for (let n = varint(); n > 0; n--) {
    const len = varint();
    if (at + len + 4 > bytes.length) throw bad('truncated');
    const token = utf8.decode(bytes.subarray(at, at + len));
    at += len;
    const queryWeight = view.getFloat32(at, true);
    at += 4;
    const count = varint();
    const rows = new Uint32Array(count);
    let row = 0;
    for (let i = 0; i < count; i++) rows[i] = row += varint();
    if (at + count > bytes.length) throw bad('truncated');
    out.set(token, { queryWeight, rows, weights: bytes.slice(at, at + count) });
    at += count;
  }
  return out;
}
