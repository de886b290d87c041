import { strToU8, unzipSync, zipSync } from 'fflate';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { repackedZip, type RawDeflate } from '@/lib/package/store-zip';

/** A package as WXT's zip holds it: directories, scripts, JSON and an icon that deflating cannot shrink. */
function wxtLikeZip(): { zip: Uint8Array; files: Record<string, Uint8Array> } {
  const script = strToU8('const tracker = "connect.facebook.net";\n'.repeat(400));
  // A PNG's pixels are deflated already: bytes with no pattern (xorshift) stand in for them.
  let state = 2463534242;
  const icon = new Uint8Array(512).map(() => ((state ^= state << 13), (state ^= state >>> 17), (state ^= state << 5), state & 0xff));
  const files = { 'manifest.json': strToU8(JSON.stringify({ manifest_version: 3, name: '__MSG_extName__', description: '__MSG_extDescription__', default_locale: 'nl' })), 'chunks/popup.js': script, 'icon/16.png': icon, 'empty.txt': new Uint8Array() };
  const zip = zipSync({ 'chunks/': {}, ...files, '_locales/': {} }, { level: 9 });
  return { zip, files };
}

/** An encoder that stands in for Zopfli: zlib's level 9, and a count of what it was given. */
function countingDeflate(): RawDeflate & { calls: number } {
  const deflate = Object.assign(async (data: Uint8Array) => {
    deflate.calls += 1;
    return new Uint8Array(deflateRawSync(data, { level: 9 }));
  }, { calls: 0 });
  return deflate;
}

/** Each entry's name and method as the zip's central directory records them (APPNOTE.txt 4.3.12, 4.3.16). */
function centralDirectory(zip: Uint8Array): { name: string; method: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const entries: { name: string; method: number }[] = [];
  for (let offset = view.getUint32(end + 16, true), left = view.getUint16(end + 10, true); left > 0; left--) {
    expect(view.getUint32(offset, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(offset + 28, true);
    entries.push({ name: new TextDecoder().decode(zip.subarray(offset + 46, offset + 46 + nameLength)), method: view.getUint16(offset + 10, true) });
    offset += 46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return entries;
}

describe('the store package deflated again', () => {
  it('holds every file byte for byte, in the same order, and no directory entries', async () => {
    const { zip, files } = wxtLikeZip();
    const repacked = unzipSync(await repackedZip(zip, countingDeflate()));
    expect(Object.keys(repacked)).toEqual(Object.keys(files));
    for (const [path, content] of Object.entries(files)) expect(repacked[path], path).toEqual(content);
  });

  it('takes the encoder’s stream when it is the smallest, and a real one when the encoder does worse', async () => {
    const { zip } = wxtLikeZip();
    const better = await repackedZip(zip, countingDeflate());
    // An encoder that wastes bytes: a stored block per file, bigger than zlib's stream for the script.
    const worse = await repackedZip(zip, async (data) => {
      const header = new Uint8Array([1, data.length & 0xff, data.length >> 8, ~data.length & 0xff, (~data.length >> 8) & 0xff]);
      return new Uint8Array([...header, ...data]);
    });
    expect(worse.length).toBe(better.length);
    expect(unzipSync(worse)['chunks/popup.js']).toEqual(unzipSync(better)['chunks/popup.js']);
  });

  it('stores a file that deflating would make bigger, and deflates the rest', async () => {
    const { zip } = wxtLikeZip();
    const repacked = await repackedZip(zip, countingDeflate());
    const methods = Object.fromEntries(centralDirectory(repacked).map(({ name, method }) => [name, method]));
    expect(methods).toEqual({ 'manifest.json': 8, 'chunks/popup.js': 8, 'icon/16.png': 0, 'empty.txt': 0 });
  });

  it('is never bigger than the zip it was given', async () => {
    const { zip } = wxtLikeZip();
    expect((await repackedZip(zip, countingDeflate())).length).toBeLessThanOrEqual(zip.length);
  });
});
