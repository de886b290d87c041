/**
 * `work`'s answer, or `otherwise` once `ms` have passed, whichever comes first: how the background,
 * the pages and the scan bound a wait on something that may never answer (a content script that is
 * gone, a worker that was stopped). The timer is cleared as soon as either settles, so a bounded wait
 * leaves nothing behind. A rejection of `work` within the time is passed on: callers that do not care
 * catch it first.
 */
export function within<T, U = undefined>(ms: number, work: Promise<T>, otherwise?: U): Promise<T | U> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<U>((done) => (timer = setTimeout(() => done(otherwise as U), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
