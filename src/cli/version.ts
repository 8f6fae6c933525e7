import { version } from '../app.ts';
import { defineCommand } from './command.ts';

export const versionCommand = defineCommand({
  name: 'version',
  summary: 'Print the Clinicbox version and the runtime it runs on.',
  options: {},
  async run(_values, _positionals, ctx) {
    const bun = (globalThis as { Bun?: { version: string } }).Bun;
    ctx.out(
      `clinicbox ${version} (${bun ? `bun ${bun.version}` : `node ${process.versions.node}`}, ${process.platform}-${process.arch})`,
    );
    return 0;
  },
});
