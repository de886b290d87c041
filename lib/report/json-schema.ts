import * as z from 'zod/mini';
import { Report } from './schema';

/** The report's zod schema as JSON Schema, for tools outside this code base. */
export function reportJsonSchema(): object {
  return {
    $id: 'https://privacy-lens.mijnliefsteboek.example/report.schema.json',
    title: 'Privacy Lens report',
    ...z.toJSONSchema(Report, { target: 'draft-2020-12' }),
  };
}

// `npm run report-schema` writes report.schema.json beside this file; a unit test keeps it in step.
if (process.argv[1]?.endsWith('json-schema.ts')) {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(new URL('./report.schema.json', import.meta.url), `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
}
