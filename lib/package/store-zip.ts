import { unzipSync, Zip, type ZipInputFile } from 'fflate';
import { deflateRawSync, crc32 } from 'node:zlib';

/**
 * The store packages written again, each file deflated as small as a deflate stream can be.
 *
 * WXT's zip deflates with zlib at level 9. Zopfli (Google's exhaustive deflate encoder, as WebAssembly
 * in @gfx/zopfli) writes streams that every zip reader inflates the same way, 3 % smaller on our
 * minified scripts and locale files (BENCHMARKS.md, issue 13's thirty-sixth stop). The files in the
 * package are byte for byte those WXT zipped: only how they are compressed changes, so what a browser
 * installs, parses and runs is the same. Build time only (wxt.config.ts, `zip:extension:done`).
 */

/** A raw deflate encoder (RFC 1951, no zlib or gzip header), as zip entries hold. */
export type RawDeflate = (data: Uint8Array) => Promise<Uint8Array>;

/** How a file is held in the package: deflated, or stored when deflating would not make it smaller (the PNG icons). */
interface PackedFile {
  path: string;
  size: number;
  crc: number;
  /** APPNOTE.txt 4.4.5: 0 stored, 8 deflated. */
  method: 0 | 8;
  data: Uint8Array;
}

/**
 * The zip `original` with every file packed by the smallest of `deflate`, zlib's level 9 and storing,
 * in the same order and under the same paths. Directory entries are left out: they hold nothing, and
 * neither browser nor store needs them to find a file. `modified` is every entry's date.
 */
export async function repackedZip(original: Uint8Array, deflate: RawDeflate, modified = new Date()): Promise<Uint8Array> {
  const files: PackedFile[] = [];
  for (const [path, content] of Object.entries(unzipSync(original))) {
    if (path.endsWith('/')) continue;
    files.push(await packed(path, content, deflate));
  }
  return writeZip(files, modified);
}

async function packed(path: string, content: Uint8Array, deflate: RawDeflate): Promise<PackedFile> {
  const candidates = [await deflate(content), new Uint8Array(deflateRawSync(content, { level: 9 }))];
  const smallest = candidates.reduce((best, next) => (next.length < best.length ? next : best));
  const stored = smallest.length >= content.length;
  return { path, size: content.length, crc: crc32(content) >>> 0, method: stored ? 0 : 8, data: stored ? content : smallest };
}

/** fflate's zip writer, handed streams already compressed (its ZipInputFile interface allows any method). */
function writeZip(files: readonly PackedFile[], modified: Date): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      parts.push(chunk);
      if (final) resolve(concatenated(parts));
    });
    for (const file of files) {
      const entry: ZipInputFile = { filename: file.path, size: file.size, crc: file.crc, compression: file.method, mtime: modified };
      zip.add(entry);
      // fflate types its chunks as owning a plain ArrayBuffer; a copy is one.
      entry.ondata!(null, new Uint8Array(file.data), true);
    }
    zip.end();
  });
}

function concatenated(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
