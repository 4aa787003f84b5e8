// `npm run build`: the production tree in dist/. The TypeScript sources compile to JavaScript (type errors are
// `npm run check`'s job), and every other file the app reads at run time beside its code (templates, styles,
// reference data) is copied to the same place relative to it. Running dist/ needs no loader: a Node process
// started through tsx carries a second thread with its own JavaScript heap for the loader, about 80 MB.
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
// --out DIR builds elsewhere inside the project (the build test does); it must stay inside so that the
// compiled files find node_modules.
const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const dist = path.resolve(root, values.out);
await rm(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', dist], {
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

/** Every file under dir that is not TypeScript, as paths relative to root. */
async function assets(dir) {
  const out = [];
  for (const entry of await readdir(path.join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
    out.push(path.relative(root, path.join(entry.parentPath, entry.name)));
  }
  return out;
}
for (const file of await assets('src')) {
  await mkdir(path.dirname(path.join(dist, file)), { recursive: true });
  await cp(path.join(root, file), path.join(dist, file));
}
await cp(path.join(root, 'reference'), path.join(dist, 'reference'), { recursive: true });
await cp(path.join(root, 'package.json'), path.join(dist, 'package.json'));
await mkdir(path.join(dist, 'bin'), { recursive: true });
await writeFile(
  path.join(dist, 'bin', 'leadwell.js'),
  `#!/usr/bin/env node
// The leadwell command from the compiled tree (npm run build).
const { main } = await import('../src/cli.js');
process.exit(await main(process.argv.slice(2)));
`,
);
const out = path.relative(process.cwd(), dist) || '.';
console.log(`Built ${out}: node ${out}/src/server.js, node ${out}/bin/leadwell.js`);
