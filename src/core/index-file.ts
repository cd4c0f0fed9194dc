// A collection as one portable file: a header naming what made it, then the
// vectors, then the documents. The build-time indexer writes the same format.
//
//   bytes 0-7   magic "PGSENSE\0"
//   bytes 8-11  format version (uint32 LE)
//   bytes 12-15 header length H (uint32 LE)
//   bytes 16-19 CRC-32 of everything after the header
//   H bytes     header JSON: { manifest, count, dimension, vectorBytes, documentBytes }
//   vectors     count x dimension float32 LE
//   documents   JSON array of { id, text, title?, url?, meta? }, in vector order
import { crc32 } from './checksum.ts';
import { decodeUtf8, encodeUtf8 } from './text-codec.ts';
import { createError } from './errors.ts';
import { assertManifest, type CollectionManifest } from './manifest.ts';
import { assertVectors } from './vectors.ts';

export const INDEX_FILE_VERSION = 1;
const MAGIC = [0x50, 0x47, 0x53, 0x45, 0x4e, 0x53, 0x45, 0x00]; // "PGSENSE\0"
const PREFIX = 20;

export interface IndexFileDocument {
  id: string;
  text: string;
  title?: string;
  url?: string;
  meta?: Record<string, unknown>;
}

export interface IndexFileContents {
  manifest: CollectionManifest;
  vectors: Float32Array;
  documents: IndexFileDocument[];
}

interface Header {
  manifest: CollectionManifest;
  count: number;
  dimension: number;
  vectorBytes: number;
  documentBytes: number;
}

export function encodeIndexFile(c: IndexFileContents): Uint8Array {
  const dim = c.manifest.dimension;
  const count = assertVectors(c.vectors, dim, 'export');
  if (count !== c.documents.length) throw createError('INVALID_ARGUMENT', `${count} vectors for ${c.documents.length} documents`);
  const docs = encodeUtf8(JSON.stringify(c.documents));
  const vectorBytes = count * dim * 4;
  const header: Header = { manifest: c.manifest, count, dimension: dim, vectorBytes, documentBytes: docs.length };
  const headerBytes = encodeUtf8(JSON.stringify(header));
  const out = new Uint8Array(PREFIX + headerBytes.length + vectorBytes + docs.length);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, INDEX_FILE_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREFIX);
  const body = PREFIX + headerBytes.length;
  const vecView = new DataView(out.buffer, body, vectorBytes);
  for (let i = 0; i < c.vectors.length; i++) vecView.setFloat32(i * 4, c.vectors[i]!, true);
  out.set(docs, body + vectorBytes);
  view.setUint32(16, crc32(out.subarray(body)), true);
  return out;
}

/** Validates everything before returning: a truncated, corrupted or foreign file throws CORRUPT_INDEX. */
export function decodeIndexFile(bytes: Uint8Array): IndexFileContents {
  const bad = (why: string): never => {
    throw createError('CORRUPT_INDEX', `not a valid pagesense index file: ${why}`);
  };
  if (bytes.length < PREFIX || MAGIC.some((b, i) => bytes[i] !== b)) bad('wrong magic bytes (is this a pagesense export?)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== INDEX_FILE_VERSION) bad(`format version ${version}, this build reads ${INDEX_FILE_VERSION}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX + headerLength > bytes.length) bad('truncated header');
  let header: Header;
  try {
    header = JSON.parse(decodeUtf8(bytes.subarray(PREFIX, PREFIX + headerLength))) as Header;
  } catch {
    return bad('unreadable header');
  }
  assertManifest(header.manifest, 'index file');
  const { count, dimension, vectorBytes, documentBytes } = header;
  if (dimension !== header.manifest.dimension || vectorBytes !== count * dimension * 4) bad('header sizes disagree');
  const body = PREFIX + headerLength;
  if (bytes.length !== body + vectorBytes + documentBytes) bad(`expected ${body + vectorBytes + documentBytes} bytes, got ${bytes.length} (truncated?)`);
  if (crc32(bytes.subarray(body)) !== view.getUint32(16, true)) bad('checksum mismatch (the file is damaged)');
  const vectors = new Float32Array(count * dimension);
  for (let i = 0; i < vectors.length; i++) vectors[i] = view.getFloat32(body + i * 4, true);
  let documents: IndexFileDocument[];
  try {
    documents = JSON.parse(decodeUtf8(bytes.subarray(body + vectorBytes))) as IndexFileDocument[];
  } catch {
    return bad('unreadable documents');
  }
  if (!Array.isArray(documents) || documents.length !== count) bad('document count differs from vector count');
  documents.forEach((d, i) => {
    if (!d || typeof d.id !== 'string' || typeof d.text !== 'string') bad(`document ${i} lacks an id or text`);
  });
  assertVectors(vectors, dimension, 'index file vectors');
  return { manifest: header.manifest, vectors, documents };
}
