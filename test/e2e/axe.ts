import axe from 'axe-core';
import type { Page } from 'puppeteer';

/** One axe finding, flattened to what a person needs to fix it. */
export interface Problem {
  where: string;
  rule: string;
  impact: string;
  target: string;
  summary: string;
}

/**
 * Runs axe-core with its default rules (every WCAG 2.x A/AA rule plus its best practices, colour
 * contrast included) on what the page shows now. axe is evaluated through the DevTools protocol,
 * which the pages' `script-src 'self'` does not govern; a <script> tag with inline content would be
 * refused by that policy.
 */
export async function audit(page: Page, where: string): Promise<Problem[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? v.help })),
    }));
  });
  return violations.flatMap((v) => v.nodes.map((n) => ({ where, rule: v.rule, impact: v.impact, target: n.target, summary: n.summary.replace(/\s+/g, ' ') })));
}

export function readable(problems: Problem[]): string {
  return problems.map((p) => `- [${p.where}] ${p.rule} (${p.impact}) at ${p.target}: ${p.summary}`).join('\n');
}
