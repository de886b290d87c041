import { startFixtureShop } from '/work/main/test/fixtures/shop/server';
import { launchWithExtension } from '/work/main/lib/scan/chromium';
const shop = await startFixtureShop();
const ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true });
await ext.stopWorker();
await new Promise((r) => setTimeout(r, 1000));
const browserSession = await ext.browser.target().createCDPSession();
const conn = browserSession.connection()!;
const done = new Promise<any>((resolve) => {
  conn.on('Target.attachedToTarget', async (event: any) => {
    if (event.targetInfo.type !== 'service_worker') return;
    const s = conn.session(event.sessionId)!;
    try {
    await s.send('Profiler.enable');
    await s.send('Profiler.setSamplingInterval', { interval: 50 });
    await s.send('Profiler.start');
    await s.send('Runtime.runIfWaitingForDebugger');
    await new Promise((r) => setTimeout(r, 3000));
    resolve((await s.send('Profiler.stop')).profile);
    } catch (e) { console.log('attach failed', String(e).slice(0, 80)); }
  });
});
await browserSession.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true, filter: [{ type: 'service_worker', exclude: false }, { exclude: true }] } as any);
const page = await ext.browser.newPage();
void page.goto('https://www.mijnliefsteboek.nl/');
const profile = await done;
const byNode = new Map(profile.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<string, number>(); const incl = new Map<string, number>();
let total = 0;
profile.samples.forEach((id: number, i: number) => {
  const n: any = byNode.get(id); const name = n.callFrame.functionName;
  if (name === '(idle)' || name === '(program)') return;
  const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000; total += ms;
  const key = `${name || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + ms);
  const seen = new Set<string>();
  for (let up: any = n; up; up = byNode.get(parent.get(up.id)!)) { const k = `${up.callFrame.functionName || '(anon)'} ${up.callFrame.url.split('/').pop()}:${up.callFrame.lineNumber + 1}:${up.callFrame.columnNumber + 1}`; if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + ms); } }
});
console.log('total', total.toFixed(1));
console.log('-- self'); for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(v.toFixed(1).padStart(7), k);
console.log('-- inclusive'); for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(v.toFixed(1).padStart(7), k);
await ext.close(); await shop.close();
process.exit(0);
