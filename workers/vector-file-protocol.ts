// Wire types of the vector-file worker.
export interface VectorFileWorkerApi {
  /** Reads the file's first byteLength bytes into target; returns the bytes read (0 when the file is shorter). */
  read(path: string[], target: SharedArrayBuffer, byteOffset: number, byteLength: number): Promise<number>;
  /** Bytes [offset, offset + byteLength) in a new buffer (transferred), or null when the file is shorter. */
  readCopy(path: string[], offset: number, byteLength: number): Promise<ArrayBuffer | null>;
  /** Writes data (transferred) at offset and flushes; returns the file's size. */
  write(path: string[], offset: number, data: ArrayBuffer): Promise<number>;
  /** Cuts the file to `size` bytes if it is longer (a missing file is fine). */
  truncate(path: string[], size: number): Promise<void>;
  remove(path: string[]): Promise<void>;
}
