import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { TraceMap, eachMapping } from '@jridgewell/trace-mapping';
const file = process.argv[2];
const code = readFileSync(file, 'utf8');
const map = new TraceMap(readFileSync(file + '.map', 'utf8'));
const lines = code.split('\n');
const lineStart = []; let off = 0; for (const l of lines) { lineStart.push(off); off += l.length + 1; }
const segs = [];
eachMapping(map, (m) => segs.push([lineStart[m.generatedLine - 1] + m.generatedColumn, m.source]));
segs.sort((a, b) => a[0] - b[0]);
const groups = new Map();
const group = (s) => {
  if (!s) return '(none)';
  const m = s.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  const l = s.match(/(lib\/[^/]+|entrypoints\/[^/]+|components|public\/[^/]+)/);
  return l ? l[1] : s;
};
for (let i = 0; i < segs.length; i++) {
  const [start, src] = segs[i]; const end = i + 1 < segs.length ? segs[i + 1][0] : code.length;
  const g = group(src); if (!groups.has(g)) groups.set(g, []); groups.get(g).push(code.slice(start, end));
}
const rows = [...groups].map(([g, parts]) => { const s = parts.join(''); return [g, s.length, gzipSync(s).length]; }).sort((a, b) => b[2] - a[2]);
console.log('total raw', code.length, 'gzip', gzipSync(code).length);
for (const [g, raw, gz] of rows.slice(0, 40)) console.log(String(gz).padStart(8), String(raw).padStart(8), g);
if (process.argv[3]) {
  const none = [];
  for (let i = 0; i < segs.length; i++) { const [start, src] = segs[i]; const end = i + 1 < segs.length ? segs[i + 1][0] : code.length; if (!src && end - start > 300) none.push([end - start, code.slice(start, start + 160)]); }
  none.sort((a, b) => b[0] - a[0]);
  for (const [n, s] of none.slice(0, 25)) console.log(n, JSON.stringify(s));
}
