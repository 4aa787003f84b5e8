#!/usr/bin/env node
// The `leadwell` command. Runs the TypeScript sources directly through tsx (a dependency), so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
