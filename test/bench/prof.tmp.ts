import { startFixtureShop } from '/work/main/test/fixtures/shop/server';
import { launchWithExtension } from '/work/main/lib/scan/chromium';
import { profileWorker, coldStarts } from '/work/main/test/bench/page-load';
const shop = await startFixtureShop();
const ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true });
const p = await profileWorker(ext, 'https://www.mijnliefsteboek.nl/checkout', Number(process.env.N ?? 10));
console.log(p.perLoadMs.toFixed(1), 'ms/load');
for (const t of p.top) console.log((t.ms / Number(process.env.N ?? 10)).toFixed(2).padStart(7), t.fn);
if (process.env.COLD) { const c = await coldStarts(ext, 'https://www.mijnliefsteboek.nl/', 6); console.log(c); }
await ext.close(); await shop.close();
