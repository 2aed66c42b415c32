/**
 * @module
 * Masks the values of named query parameters in a URL (`?token=abc` → `?token=***`), in the query
 * and in a fragment written as parameters (`#access_token=…`, as OAuth implicit flows do). The URL
 * is edited as text, so relative URLs and everything else in it stay exactly as they were.
 */

/** Decodes a parameter name as a form would (`+` is a space); a malformed one is kept as is. */
function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

function maskParams(params: string, names: ReadonlySet<string>): string {
  return params
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1 || !names.has(decodeName(pair.slice(0, equals)))) return pair;
      return `${pair.slice(0, equals + 1)}${'*'.repeat(pair.length - equals - 1)}`;
    })
    .join('&');
}

/**
 * `url` with the value of every query or fragment parameter called one of `names` (lower-case,
 * compared without case) replaced by one `*` per character. Returns `url` itself when nothing
 * matches or `names` is empty.
 */
export function maskUrlParams(url: string, names: readonly string[]): string {
  if (names.length === 0 || (!url.includes('?') && !url.includes('#'))) return url;
  const wanted = new Set(names);
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const hash = hashAt === -1 ? undefined : url.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  const base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt + 1);
  const query = queryAt === -1 ? '' : maskParams(beforeHash.slice(queryAt + 1), wanted);
  return `${base}${query}${hash === undefined ? '' : `#${maskParams(hash, wanted)}`}`;
}

/** Masks `names` in every URL of a `srcset` (`a.png?t=1 1x, b.png?t=2 2x`). */
export function maskSrcsetParams(srcset: string, names: readonly string[]): string {
  if (names.length === 0) return srcset;
  return srcset
    .split(',')
    .map((candidate) =>
      candidate.replace(
        /^(\s*)(\S+)/,
        (_all, space: string, url: string) => `${space}${maskUrlParams(url, names)}`,
      ),
    )
    .join(',');
}
