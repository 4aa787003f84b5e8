import { type Command, UsageError } from '../../command.ts';
import { type Scale, SeedRefusedError, seed } from './seed.ts';

const scales: readonly Scale[] = ['demo', 'region', 'national'];

export const commands: Command[] = [
  {
    name: 'seed',
    summary: 'Generate synthetic staff on the real NHS organisations (demo, region or national scale)',
    usage: 'leadwell seed --scale demo|region|national [--seed N] [--area ICB-or-region-code] [--reset]',
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      area: { type: 'string' },
      reset: { type: 'boolean' },
    },
    async run(deps, { values }, io) {
      const scale = values.scale as Scale | undefined;
      if (!scale || !scales.includes(scale)) throw new UsageError('--scale must be demo, region or national');
      if (scale === 'national' && values.area) throw new UsageError('--area applies to the demo and region scales');
      const seedText = (values.seed as string | undefined) ?? '1';
      if (!/^\d{1,9}$/.test(seedText)) throw new UsageError('--seed must be a whole number');
      try {
        await seed(deps, {
          scale,
          seed: Number(seedText),
          reset: values.reset === true,
          area: values.area as string | undefined,
          log: io.out,
          progress: (done, total) => io.progress('Staff', done, total),
        });
        return 0;
      } catch (err) {
        if (!(err instanceof SeedRefusedError)) throw err;
        io.err(err.message);
        return 1;
      }
    },
  },
];
