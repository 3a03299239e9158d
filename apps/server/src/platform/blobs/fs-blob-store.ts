import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, type BlobStore } from './blob-store.ts';

interface BlobMeta {
  contentType: string;
  byteSize: number;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Blobs as files under `root` (the server uses `<DOORSTEP_DATA_DIR>/blobs`), sharded two levels
 * deep by the key's first hex digits (`ab/cd/abcd…`) so no directory grows past a few hundred
 * entries per million blobs. Each blob is two files: the bytes, then a small `<key>.json` with its
 * content type. Both are written to a temporary file, fsynced and renamed into place, and the
 * directory is fsynced after the renames: a reader sees a whole blob or none, and a blob that
 * `put` acknowledged survives a crash of the process or the machine. The `.json` is written last,
 * so it is the mark of a complete blob.
 *
 * Files are private to the server's user (0600): they are residents' photos.
 */
export function createFileBlobStore(root: string): BlobStore {
  const base = path.resolve(root);

  function locate(key: string) {
    assertBlobKey(key);
    const dir = path.join(base, key.slice(0, 2), key.slice(2, 4));
    return { dir, data: path.join(dir, key), meta: path.join(dir, `${key}.json`) };
  }

  async function writeDurably(dir: string, target: string, bytes: Buffer | string) {
    const temp = path.join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => {});
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  async function syncDir(dir: string) {
    // Makes the renames themselves durable. Some platforms cannot open a directory for fsync;
    // there the file data is still synced and only the name may be lost on a power cut.
    try {
      const handle = await open(dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {}
  }

  async function readMeta(file: string): Promise<BlobMeta | null> {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as BlobMeta;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  return {
    async put(key, bytes, contentType) {
      const where = locate(key);
      await mkdir(where.dir, { recursive: true, mode: 0o700 });
      await writeDurably(where.dir, where.data, bytes);
      const meta: BlobMeta = { contentType, byteSize: bytes.length };
      await writeDurably(where.dir, where.meta, JSON.stringify(meta));
      await syncDir(where.dir);
    },

    async get(key) {
      const where = locate(key);
      const meta = await readMeta(where.meta);
      if (!meta) return null;
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(where.data, 'r');
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      try {
        const { size } = await handle.stat();
        return { contentType: meta.contentType, byteSize: size, body: handle.createReadStream() };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async delete(key) {
      const where = locate(key);
      // The mark goes first, so a half-deleted blob reads as absent rather than as a broken one.
      for (const file of [where.meta, where.data]) {
        await unlink(file).catch((error) => {
          if (!isMissing(error)) throw error;
        });
      }
    },

    async exists(key) {
      return (await readMeta(locate(key).meta)) !== null;
    },
  };
}
