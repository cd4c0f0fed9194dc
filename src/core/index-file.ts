// A collection as one portable file: a header naming what made it, then the
// vectors, then the documents. The build-time indexer writes the same format.
//
//   bytes 0-7   magic "PGSENSE\0"
//   bytes 8-11  format version (uint32 LE)
//   bytes 12-15 header length H (uint32 LE)
//   bytes 16-19 CRC-32 of everything after it (header included; version 1 files
//               left the header out, and are still read)
//   H bytes     header JSON: { manifest, count, dimension, vectorBytes, documentBytes }
//   vectors     count x dimension float32 LE
//   documents   JSON array of { id, text, title?, url?, meta? }, in vector order
import { describeValue } from './arguments.ts';
import { crc32 } from './checksum.ts';
import { decodeUtf8, encodeUtf8 } from './text-codec.ts';
import { createError } from './errors.ts';
import { assertManifest, type CollectionManifest } from './manifest.ts';
import { assertJsonValue } from './json-value.ts';
import { assertVectors } from './vectors.ts';

export const INDEX_FILE_VERSION = 2;
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
  if (typeof c !== 'object' || c === null)
    throw createError('INVALID_ARGUMENT', `encodeIndexFile takes { manifest, vectors, documents }, got ${describeValue(c)}`);
  assertManifest(c.manifest, 'encodeIndexFile');
  if (!Array.isArray(c.documents)) throw createError('INVALID_ARGUMENT', `encodeIndexFile: documents must be an array, got ${describeValue(c.documents)}`);
  c.documents.forEach((d, i) => {
    if (typeof d !== 'object' || d === null || typeof d.id !== 'string' || typeof d.text !== 'string') {
      throw createError('INVALID_ARGUMENT', `encodeIndexFile: documents[${i}] needs a string id and text`);
    }
  });
  const dim = c.manifest.dimension;
  const count = assertVectors(c.vectors, dim, 'export');
  if (count !== c.documents.length) throw createError('INVALID_ARGUMENT', `${count} vectors for ${c.documents.length} documents`);
  c.documents.forEach((d, i) => d.meta !== undefined && assertJsonValue(d.meta, `documents[${i}].meta`));
  const docs = encodeUtf8(JSON.stringify(c.documents));
  const vectorBytes = count * dim * 4;
  const header: Header = { manifest: c.manifest, count, dimension: dim, vectorBytes, documentBytes: docs.length };
  let headerJson: string;
  try {
    headerJson = JSON.stringify(header);
  } catch (err) {
    throw createError('INVALID_ARGUMENT', `encodeIndexFile: the manifest cannot be written as JSON (${(err as Error).message})`, undefined, err);
  }
  const headerBytes = encodeUtf8(headerJson);
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
  view.setUint32(16, crc32(out.subarray(PREFIX)), true);
  return out;
}

/** Validates everything before returning: a truncated, corrupted or foreign file throws CORRUPT_INDEX. */
export function decodeIndexFile(bytes: Uint8Array): IndexFileContents {
  const bad = (why: string): never => {
    throw createError('CORRUPT_INDEX', `not a valid pagesense index file: ${why}`);
  };
  if (!(bytes instanceof Uint8Array)) throw createError('INVALID_ARGUMENT', `decodeIndexFile takes a Uint8Array, got ${describeValue(bytes)}`);
  if (bytes.length < PREFIX || MAGIC.some((b, i) => bytes[i] !== b)) bad('wrong magic bytes (is this a pagesense export?)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== INDEX_FILE_VERSION && version !== 1) bad(`format version ${version}, this build reads 1 and ${INDEX_FILE_VERSION}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX + headerLength > bytes.length) bad('truncated header');
  const body = PREFIX + headerLength;
  // Checked before anything is parsed or allocated: a damaged header is CORRUPT_INDEX, never a changed manifest.
  if (crc32(bytes.subarray(version === 1 ? body : PREFIX)) !== view.getUint32(16, true)) bad('checksum mismatch (the file is damaged or truncated)');
  let header: Header;
  try {
    header = JSON.parse(decodeUtf8(bytes.subarray(PREFIX, body))) as Header;
  } catch {
    return bad('unreadable header');
  }
  if (typeof header !== 'object' || header === null) bad('the header is not an object');
  assertManifest(header.manifest, 'index file');
  assertManifestFields(header.manifest);
  const { count, dimension, vectorBytes, documentBytes } = header;
  const size = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!size(count) || !size(dimension) || !size(vectorBytes) || !size(documentBytes)) bad('header sizes are not non-negative integers');
  if (dimension !== header.manifest.dimension || vectorBytes !== count * dimension * 4) bad('header sizes disagree');
  if (bytes.length !== body + vectorBytes + documentBytes) bad(`expected ${body + vectorBytes + documentBytes} bytes, got ${bytes.length} (truncated?)`);
  const vectors = new Float32Array(count * dimension);
  for (let i = 0; i < vectors.length; i++) vectors[i] = view.getFloat32(body + i * 4, true);
  let documents: IndexFileDocument[];
  try {
    documents = JSON.parse(decodeUtf8(bytes.subarray(body + vectorBytes))) as IndexFileDocument[];
  } catch {
    return bad('unreadable documents');
  }
  if (!Array.isArray(documents) || documents.length !== count) bad('document count differs from vector count');
  // The manifest must describe the file it sits in: an import trusts its counts.
  if (header.manifest.vectorCount !== count) bad(`manifest.vectorCount is ${header.manifest.vectorCount}, the file holds ${count} vectors`);
  if (header.manifest.documentCount !== count) bad(`manifest.documentCount is ${header.manifest.documentCount}, the file holds ${count} documents`);
  const ids = new Set<string>();
  documents.forEach((d, i) => {
    if (!d || typeof d !== 'object' || typeof d.id !== 'string' || typeof d.text !== 'string') bad(`document ${i} lacks an id or text`);
    if (ids.has(d.id)) bad(`document id ${JSON.stringify(d.id)} appears twice`);
    ids.add(d.id);
    if ((d.title !== undefined && typeof d.title !== 'string') || (d.url !== undefined && typeof d.url !== 'string'))
      bad(`document ${i} has a title or url that is not text`);
    if (d.meta !== undefined && (typeof d.meta !== 'object' || d.meta === null || Array.isArray(d.meta))) bad(`document ${i} has meta that is not an object`);
  });
  assertVectors(vectors, dimension, 'index file vectors');
  return { manifest: header.manifest, vectors, documents };
}

/** The manifest's own fields, each of the type it must have: CORRUPT_INDEX naming the first that is not. */
function assertManifestFields(m: CollectionManifest): void {
  const checks: [keyof CollectionManifest, (v: unknown) => boolean, string][] = [
    ['name', (v) => typeof v === 'string', 'a string'],
    ['modelId', (v) => typeof v === 'string' && v.length > 0, 'a non-empty string'],
    ['revision', (v) => typeof v === 'string', 'a string'],
    ['dimension', (v) => Number.isSafeInteger(v) && (v as number) > 0, 'a positive integer'],
    ['pooling', (v) => v === 'cls' || v === 'mean', '"cls" or "mean"'],
    ['normalized', (v) => typeof v === 'boolean', 'true or false'],
    ['queryInstruction', (v) => typeof v === 'string', 'a string'],
    ['documentCount', (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a non-negative integer'],
    ['vectorCount', (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a non-negative integer'],
    ['createdAt', (v) => Number.isFinite(v), 'a finite number'],
    ['updatedAt', (v) => Number.isFinite(v), 'a finite number'],
  ];
  for (const [field, ok, wanted] of checks) {
    if (!ok(m[field])) {
      throw createError('CORRUPT_INDEX', `not a valid pagesense index file: manifest.${field} must be ${wanted}, got ${describeValue(m[field])}`, { field });
    }
  }
}
