/**
 * @module
 * The customer SDK bundle as served: its bytes, a strong ETag and its SRI hash, read from disk
 * on first use and again whenever the file changes (a rebuild while the server runs).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** The bundle, ready to serve. */
export interface LoadedBundle {
  body: Buffer;
  /** Strong ETag: a hash of the bytes, quoted. */
  etag: string;
  /** Subresource Integrity value, `sha384-<base64>`. */
  integrity: string;
}

/** Serves one file, caching it by modification time and size. */
export class SdkBundle {
  private cached?: { key: string; bundle: LoadedBundle };

  constructor(readonly file: string) {}

  /** The bundle, or `undefined` if the file does not exist (the SDK is not built). */
  load(): LoadedBundle | undefined {
    let key: string;
    try {
      const stat = statSync(this.file);
      key = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return undefined;
    }
    if (this.cached?.key !== key) {
      const body = readFileSync(this.file);
      this.cached = {
        key,
        bundle: {
          body,
          etag: `"${createHash('sha256').update(body).digest('base64url')}"`,
          integrity: `sha384-${createHash('sha384').update(body).digest('base64')}`,
        },
      };
    }
    return this.cached.bundle;
  }
}
