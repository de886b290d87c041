import { spawn } from 'node:child_process';
import { startFixtureShop } from './fixtures/shop/server';
const shop = await startFixtureShop();
function scan(args: string[]): Promise<string> {
  return new Promise((done) => {
    const child = spawn('node_modules/.bin/tsx', ['lib/scan/cli.ts', ...args]);
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('close', () => done(out));
  });
}
for (let i = 0; i < 6; i++) {
  const out = await scan(['https://www.mijnliefsteboek.nl/test/aws', '--browser', 'firefox', '--map-all', `127.0.0.1:${shop.port}`, '--insecure', '--consent', 'none', '--json']);
  try { const r = JSON.parse(out); console.log(i, r.pages[0].trackers.map((t: any) => t.id).join(',')); } catch { console.log(i, 'bad', out.slice(0, 200)); }
}
await shop.close();
