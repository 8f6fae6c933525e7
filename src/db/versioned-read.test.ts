import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../domain/audit/index.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { bothDialects } from '../testing/db.ts';
import { addService } from '../testing/factories.ts';
import { versionedRead } from './versioned-read.ts';

describe.each(bothDialects)('a versioned read on %s', (dialect) => {
  let app: TestApp;
  afterEach(() => app?.destroy());

  it('loads once while its tables are unchanged (SQLite) and again after any change; PostgreSQL loads every time', async () => {
    app = await createTestApp({ dialect });
    let loads = 0;
    const read = versionedRead<{ n: number }>(app.db, {
      name: 'test.services',
      tables: ['services'],
      max: 10,
    });
    const load = async () => ({ n: ++loads });
    const cached = dialect === 'sqlite';

    expect(await read('k', load)).toEqual({ n: 1 });
    expect(await read('k', load)).toEqual({ n: cached ? 1 : 2 });
    expect(await read('other', load)).toEqual({ n: cached ? 2 : 3 });

    const service = await addService(app, { name: 'Massage' });
    const afterInsert = await read('k', load);
    expect(afterInsert.n).toBe(loads);
    expect(await read('k', load)).toEqual(cached ? afterInsert : { n: loads });

    await app.deps.services.update(systemActor, service.id, { ...service, name: 'Sports massage' });
    const before = loads;
    await read('k', load);
    expect(loads).toBe(before + 1);
  });
});
