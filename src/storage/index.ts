import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConfig, StorageConfig } from '../config/index.ts';
import type { ClinicKeys } from '../lib/crypto.ts';
import { openDiskStore } from './disk-store.ts';
import { fileVault } from './file-vault.ts';
import type { S3StoreSettings } from './s3-store.ts';
import { s3Location } from './s3-url.ts';
import type { BlobStore, FileVault } from './types.ts';

export { assertObjectKey, openDiskStore } from './disk-store.ts';
export { FileIntegrityError, FileTooLargeError, ObjectNotFoundError } from './errors.ts';
export { fileKeyContext, fileVault, rewrapFileKey } from './file-vault.ts';
export type { S3BlobStore, S3StoreSettings } from './s3-store.ts';
export { parseS3Url } from './s3-url.ts';
export type { BlobStore, ByteRange, FileVault, ObjectInfo, StoredFile } from './types.ts';

/** What choosing a store needs: the storage settings and the data folder. */
export type StorageSettings = StorageConfig & Pick<DataConfig, 'dataPath'>;

/** The blob store `--storage-url` names: `file:` = <data-dir>/files, `file:/a/folder`, `s3://…`. */
export function openBlobStore(config: StorageSettings): BlobStore {
  const url = config.storageUrl;
  if (url.startsWith('s3://')) {
    return lazyS3Store({
      url,
      endpoint: config.s3Endpoint,
      region: config.s3Region,
      accessKeyId: config.s3AccessKeyId,
      secretAccessKey: config.s3SecretAccessKey,
      forcePathStyle: config.s3ForcePathStyle,
      checksums: config.s3Checksums,
    });
  }
  return openDiskStore(diskRoot(url, config.dataPath));
}

/** The encrypted files over the configured store, their data keys wrapped by `keys.files`. */
export function openFileVault(config: StorageSettings, keys: Pick<ClinicKeys, 'files'>): FileVault {
  return fileVault(openBlobStore(config), keys.files);
}

/** The folder of a `file:` URL: `file:` alone is the data folder's `files`. */
export function diskRoot(url: string, dataPath: string): string {
  const rest = url.slice('file:'.length);
  if (rest === '') return resolve(dataPath, 'files');
  return rest.startsWith('//') ? fileURLToPath(url) : resolve(rest);
}

/**
 * An S3 store that loads the AWS SDK (several MB of code) on its first call, so a clinic on disk
 * — and every start-up — never pays for it. The URL is checked at once.
 */
function lazyS3Store(settings: S3StoreSettings): BlobStore {
  const location = s3Location(settings.url);
  let opened: Promise<BlobStore & { close(): void }> | undefined;
  const store = () => {
    opened ??= import('./s3-store.ts').then((m) => m.openS3Store(settings));
    return opened;
  };
  return {
    location,
    put: async (key, body) => (await store()).put(key, body),
    get: async (key, range) => (await store()).get(key, range),
    head: async (key) => (await store()).head(key),
    delete: async (key) => (await store()).delete(key),
    async *list(prefix) {
      yield* (await store()).list(prefix);
    },
    async close() {
      if (opened) (await opened).close();
    },
  };
}
