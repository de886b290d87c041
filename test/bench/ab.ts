/**
 * Two builds of the extension against each other, for a change whose cost no single run can tell from
 * the machine's noise: the build of an earlier git revision ("before", made in a worktree of its own)
 * and the working tree's build ("after"). Each runs in a Chromium of its own, and the two are measured in
 * turn, their order alternating, so that whatever the machine's neighbours do hits both alike:
 *
 * - a woken worker (cold-start.ts): the first event handled, the modules' evaluation, the script's start;
 * - the popup's paint, with the fixture's home page in the tab it reads, and the history page's, with
 *   the visits the cold starts logged;
 * - page loads of the home page and the checkout, on the local network.
 *
 * Every figure is reported as before → after, with the median of the rounds' ratios after / before and
 * its 95% bootstrap interval (stats.ts, pairedRatio): an interval that holds 1 is no difference this run
 * can tell.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import type { ExtensionBrowser } from '../../lib/scan/chromium';
import { alternatingColdStarts } from './cold-start';
import { loadTime } from './page-load';
import { median, pairedRatio } from './stats';

const ROOT = resolve(import.meta.dirname, '../..');

/** `--before`: a revision git knows (a commit, a tag, `HEAD~3`), never an option or a path outside git. */
export const Revision = z.string().check(z.regex(/^\w[\w./~^@{}-]*$/, 'the revision to compare with is a git commit, tag or branch, such as 338e605 or HEAD~2'));

/** An A/B's numbers for one figure: the two sides' samples (round i's in place i), their medians, and after / before, round by round. */
export interface Compared {
  before: number[];
  after: number[];
  medianBefore: number;
  medianAfter: number;
  ratio: number;
  ci95: [number, number];
}

export function compared(before: number[], after: number[]): Compared {
  const { ratio, ci95 } = pairedRatio(after, before);
  return { before, after, medianBefore: median(before), medianAfter: median(after), ratio, ci95 };
}

function git(args: string[]): string {
  const run = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr.trim() || run.error?.message || `exit ${run.status}`}`);
  return run.stdout.trim();
}

/** The commit `revision` names in this checkout, or null if git knows none. */
export function commitOf(revision: string): string | null {
  const known = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], { cwd: ROOT, encoding: 'utf8' });
  return known.status === 0 ? known.stdout.trim() : null;
}

/**
 * Chrome's build of `revision`, copied to a directory of its own (the caller removes it). The worktree
 * borrows this checkout's node_modules: a revision whose dependencies differ from today's may not build,
 * and says so with the build's own output.
 */
export async function buildOfRevision(revision: string): Promise<{ dir: string; commit: string }> {
  const commit = commitOf(revision);
  if (!commit) throw new Error(`git knows no commit named ${revision}`);
  const tree = await mkdtemp(join(tmpdir(), 'privacy-lens-ab-tree-'));
  try {
    git(['worktree', 'add', '--detach', '--force', tree, commit]);
    await symlink(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
    const build = spawnSync('npx', ['wxt', 'build'], { cwd: tree, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`The build of ${revision} (${commit.slice(0, 7)}) failed:\n${build.stdout}\n${build.stderr}`);
    const dir = await mkdtemp(join(tmpdir(), 'privacy-lens-ab-build-'));
    await cp(join(tree, '.output/chrome-mv3'), dir, { recursive: true });
    return { dir, commit };
  } finally {
    // Not `git()`: a failure here must not hide the one that brought us here.
    spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT });
    spawnSync('git', ['worktree', 'prune'], { cwd: ROOT });
    await rm(tree, { recursive: true, force: true });
  }
}

/** Cold starts of the two builds, alternating (cold-start.ts), read on the worker's own clock. */
export async function comparedColdStarts(sides: { before: ExtensionBrowser; after: ExtensionBrowser }, url: string, rounds: number) {
  // alternatingColdStarts names its arms for section 3c; here the control is the build before.
  const runs = await alternatingColdStarts({ ours: sides.after, control: sides.before }, url, rounds);
  const figure = (read: (run: (typeof runs.ours)[number]) => number) => compared(runs.control.map(read), runs.ours.map(read));
  return {
    firstEventHandled: figure((run) => run.firstRequestHandled),
    scriptStarted: figure((run) => run.scriptStarted),
    modulesEvaluated: figure((run) => run.modulesLoaded - run.scriptStarted),
    startUpReadsBack: figure((run) => run.started - run.modulesLoaded),
  };
}

/** The popup's address in `ext`, for a tab of its own with `shopUrl` loaded and its reports in. */
export async function popupOf(ext: ExtensionBrowser, shopUrl: string): Promise<string> {
  const shop = await ext.browser.newPage();
  await shop.goto(shopUrl, { waitUntil: 'networkidle0' });
  await ext.settle(shop);
  return `chrome-extension://${ext.extensionId}/popup.html?tabId=${await ext.tabIdOf(shop)}`;
}

/**
 * An extension page's content painted (its `privacy-lens:content-painted` mark, from the navigation's
 * start), `opens` times in each build, alternating; `pageOf` gives each browser's address of the page.
 */
export async function comparedPaints(sides: { before: ExtensionBrowser; after: ExtensionBrowser }, pageOf: (ext: ExtensionBrowser) => Promise<string>, opens: number): Promise<Compared> {
  const urls = { before: await pageOf(sides.before), after: await pageOf(sides.after) };
  const paintedAt = async (ext: ExtensionBrowser, url: string) => {
    const page = await ext.browser.newPage();
    try {
      await page.setViewport({ width: 1100, height: 900 });
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('privacy-lens:content-painted').length > 0, { timeout: 60_000 });
      return await page.evaluate(() => performance.getEntriesByName('privacy-lens:content-painted')[0]!.startTime);
    } finally {
      await page.close();
    }
  };
  const times: Record<'before' | 'after', number[]> = { before: [], after: [] };
  // Two opens of each first: the first open of an extension page compiles what later opens take from the cache.
  for (const side of ['before', 'after'] as const) for (let i = 0; i < 2; i++) await paintedAt(sides[side], urls[side]);
  for (let i = 0; i < opens; i++) {
    for (const side of i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) times[side].push(await paintedAt(sides[side], urls[side]));
  }
  return compared(times.before, times.after);
}

/** Loads of `url` in each build, alternating, from the navigation's start to the end of the load event. */
export async function comparedPageLoads(sides: { before: ExtensionBrowser; after: ExtensionBrowser }, url: string, loads: number): Promise<Compared> {
  const times: Record<'before' | 'after', number[]> = { before: [], after: [] };
  for (const side of ['before', 'after'] as const) for (let i = 0; i < 2; i++) await loadTime(sides[side].browser, url, 'local');
  for (let i = 0; i < loads; i++) {
    for (const side of i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) times[side].push(await loadTime(sides[side].browser, url, 'local'));
  }
  return compared(times.before, times.after);
}
