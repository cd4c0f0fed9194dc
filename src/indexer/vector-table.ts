// The batch path's files: `pagesense passages` writes the passages a batch engine
// should embed as Parquet (id = the passage's SHA-256, text, url#anchor), and
// `pagesense index --vectors` reads the vectors back from Parquet or Arrow IPC (`id`,
// `vector`: a list of float32 of the model's dimension). Parquet through hyparquet and
// hyparquet-writer (pure JS), Arrow through apache-arrow (the reference
// implementation); each is loaded only when its format is met, and named when absent.
import { readFileSync, writeFileSync } from 'node:fs';
import { createError } from '../core/errors.ts';
import { writingTo } from './file-errors.ts';

export interface PassageRow {
  id: string;
  text: string;
  url: string;
}

async function load<T>(name: string, what: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (err) {
    throw createError('UNSUPPORTED', `${what} needs the ${name} package: npm install -D ${name}`, { package: name }, err);
  }
}

export async function writePassagesParquet(file: string, rows: readonly PassageRow[]): Promise<void> {
  const { parquetWriteBuffer } = await load<typeof import('hyparquet-writer')>('hyparquet-writer', 'writing Parquet');
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: rows.map((r) => r.id), type: 'STRING' },
      { name: 'text', data: rows.map((r) => r.text), type: 'STRING' },
      { name: 'url', data: rows.map((r) => r.url), type: 'STRING' },
    ],
  });
  writingTo(file, () => writeFileSync(file, new Uint8Array(buffer)));
}

/** Rows of `id` and `vector` as plain values, from whichever format the file is. */
async function readRows(file: string): Promise<{ ids: unknown[]; vectors: unknown[]; format: 'parquet' | 'arrow' }> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw createError('READ_FAILED', `cannot read the vectors file ${file}: ${(err as Error).message}`, { path: file }, err);
  }
  const magic = new TextDecoder().decode(bytes.subarray(0, 6));
  if (magic.startsWith('PAR1')) {
    const { parquetMetadata, parquetReadObjects, parquetSchema } = await load<typeof import('hyparquet')>('hyparquet', 'reading Parquet');
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const columns = parquetSchema(parquetMetadata(buf as ArrayBuffer)).children.map((c) => c.element.name);
    if (!columns.includes('id') || !columns.includes('vector'))
      throw createError('INVALID_ARGUMENT', `${file} has no "id" and "vector" columns (it has ${columns.join(', ')})`);
    const rows = (await parquetReadObjects({ file: buf as ArrayBuffer, columns: ['id', 'vector'] })) as { id: unknown; vector: unknown }[];
    return { ids: rows.map((r) => r.id), vectors: rows.map((r) => r.vector), format: 'parquet' };
  }
  // Arrow IPC: the file format starts with ARROW1, the stream format with a continuation marker.
  if (magic === 'ARROW1' || (bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff)) {
    const { tableFromIPC } = await load<typeof import('apache-arrow')>('apache-arrow', 'reading Arrow IPC');
    const table = tableFromIPC(bytes);
    const id = table.getChild('id');
    const vector = table.getChild('vector');
    if (!id || !vector)
      throw createError('INVALID_ARGUMENT', `${file} has no "id" and "vector" columns (it has ${table.schema.fields.map((f) => f.name).join(', ')})`);
    const vectors: unknown[] = [];
    for (let i = 0; i < table.numRows; i++) {
      const v = vector.get(i) as { toArray(): ArrayLike<number> } | null;
      vectors.push(v ? Array.from(v.toArray()) : null);
    }
    return { ids: id.toArray() as unknown[], vectors, format: 'arrow' };
  }
  throw createError(
    'INVALID_ARGUMENT',
    `${file} is neither Parquet nor Arrow IPC (it starts with ${JSON.stringify(magic)}); write id and vector columns as either`,
  );
}

/**
 * The vectors of a batch job, by passage id, checked: every row an id and a vector of
 * `dimension` finite numbers, no id twice. Missing and extra ids are the caller's to
 * check against its passages.
 */
export async function readVectorsFile(file: string, dimension: number): Promise<{ vectors: Map<string, Float32Array>; format: 'parquet' | 'arrow' }> {
  const { ids, vectors, format } = await readRows(file);
  const out = new Map<string, Float32Array>();
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || !id) throw createError('INVALID_ARGUMENT', `${file}, row ${i}: the id is ${JSON.stringify(id)}, not a passage id`);
    const v = vectors[i];
    const length = Array.isArray(v) || ArrayBuffer.isView(v) ? (v as ArrayLike<number>).length : -1;
    if (length !== dimension) {
      throw createError('DIMENSION_MISMATCH', `${file}, row ${i} (${id}): a vector of ${length < 0 ? 'no' : length} dimensions; the model has ${dimension}`, {
        expected: dimension,
        row: i,
      });
    }
    // Checked before conversion: a null (how some writers store NaN) would become 0.
    if (!Array.from(v as ArrayLike<unknown>).every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw createError('NON_FINITE_VECTOR', `${file}, row ${i} (${id}): the vector holds NaN, Infinity or a missing value`, { row: i });
    const row = Float32Array.from(v as ArrayLike<number>);
    if (out.has(id)) throw createError('DUPLICATE_ID', `${file}: the id ${id} appears twice`, { id });
    out.set(id, row);
  });
  return { vectors: out, format };
}
