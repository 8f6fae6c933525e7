import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY_ENV } from '../src/lib/crypto.ts';
import { repoRoot, runCli } from '../src/testing/process.ts';

/**
 * The deployment files in deploy/ (README "Deploy") name settings by their env twins and flags;
 * a renamed flag would leave them starting Clinicbox with a setting it ignores or refuses. The
 * systemd unit is also checked by `systemd-analyze` against the built binary (.ci/check-deploy.sh).
 */
const read = (name: string) => readFileSync(join(repoRoot, 'deploy', name), 'utf8');

describe('the deployment files', () => {
  let help = '';
  beforeAll(async () => {
    const run = await runCli(['serve', '--help']);
    expect(run.code).toBe(0);
    help = run.stdout;
  });

  it.each(['docker-compose.yml', 'Dockerfile', 'clinicbox.service'])(
    '%s names only settings clinicbox serve knows',
    (file) => {
      const text = read(file);
      const envs = [...new Set(text.match(/\bCLINICBOX_[A-Z0-9_]+/g) ?? [])].filter(
        (e) => e !== MASTER_KEY_ENV,
      );
      for (const env of envs) expect(help, `${file}: ${env}`).toContain(`env ${env};`);
      const exec = text.match(/^ExecStart=\S+ serve (.*)$/m)?.[1] ?? '';
      for (const flag of exec.match(/--[a-z0-9-]+/g) ?? [])
        expect(help, `${file}: ${flag}`).toContain(`${flag} `);
      if (file === 'clinicbox.service') expect(exec).toContain('--data-dir /var/lib/clinicbox');
    },
  );

  it('compose: every instance shares the database, the store and the key, has its own id, and is behind the proxy', () => {
    const compose = read('docker-compose.yml');
    const instances = [...compose.matchAll(/^ {2}(clinicbox-\d+):$/gm)].map((m) => m[1]!);
    expect(instances.length).toBeGreaterThanOrEqual(2);
    const shared = compose.match(/^x-clinicbox-env: &clinicbox-env\n((?: {2}.*\n)+)/m)?.[1] ?? '';
    for (const env of ['DATABASE_URL', 'STORAGE_URL', 'S3_ENDPOINT'])
      expect(shared).toContain(`CLINICBOX_${env}:`);
    expect(shared).toContain(`${MASTER_KEY_ENV}:`);
    expect(shared).toMatch(/CLINICBOX_DATABASE_URL: postgres:\/\//);
    expect(shared).toMatch(/CLINICBOX_STORAGE_URL: s3:\/\//);
    const ids = instances.map((name) => {
      const block = compose.split(new RegExp(`^ {2}${name}:$`, 'm'))[1]!.split(/^ {2}\S/m)[0]!;
      expect(block).toContain('<<: *clinicbox-env');
      return block.match(/CLINICBOX_INSTANCE_ID: (\S+)/)?.[1];
    });
    expect(new Set(ids).size).toBe(instances.length);
    const upstreams =
      read('Caddyfile')
        .match(/reverse_proxy (.*) \{/)?.[1]
        ?.split(/\s+/) ?? [];
    expect(upstreams.sort()).toEqual(instances.map((i) => `${i}:8080`).sort());
  });
});
