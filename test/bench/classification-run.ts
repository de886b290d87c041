/**
 * `npm run bench:classify [urls]`: section 1 of `npm run bench` alone, without building the
 * extension. Prints the lines; `urls` (default 100,000) shortens a run on a busy machine.
 */
import { cpus, loadavg } from 'node:os';
import * as z from 'zod';
import { classificationBench } from './classification';

const parsed = z.coerce.number().int().min(1_000).max(1_000_000).default(100_000).safeParse(process.argv[2]);
if (!parsed.success) {
  process.stderr.write(`usage: npm run bench:classify [urls], urls a whole number from 1000 to 1000000 (got ${process.argv[2]})\n`);
  process.exit(2);
}
process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n\n`);
const { lines } = await classificationBench({ urls: parsed.data });
for (const line of lines) process.stdout.write(`${line}\n`);
process.stdout.write(`\nload average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
