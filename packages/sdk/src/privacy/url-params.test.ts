import { describe, expect, it } from 'vitest';
import { maskSrcsetParams, maskUrlParams } from './url-params.js';

describe('maskUrlParams', () => {
  it('masks the named parameters in the query, whatever their case, and nothing else', () => {
    expect(
      maskUrlParams('https://shop.test/a?Token=abc123&page=2&email=ada%40x.io#top', [
        'token',
        'email',
      ]),
    ).toBe('https://shop.test/a?Token=******&page=2&email=**********#top');
  });

  it('masks parameters written in the fragment, as OAuth implicit flows do', () => {
    expect(maskUrlParams('/cb#access_token=s3cr3t&state=1', ['access_token'])).toBe(
      '/cb#access_token=******&state=1',
    );
  });

  it('reads encoded names, keeps relative URLs and leaves unmatched URLs alone', () => {
    expect(maskUrlParams('?e%6Dail=x&a', ['email'])).toBe('?e%6Dail=*&a');
    expect(maskUrlParams('/plain/path', ['token'])).toBe('/plain/path');
    expect(maskUrlParams('/p?token=1', [])).toBe('/p?token=1');
  });
});

describe('maskSrcsetParams', () => {
  it('masks each candidate URL and keeps the descriptors', () => {
    expect(maskSrcsetParams('a.png?sig=ab 1x, b.png?sig=cd 2x', ['sig'])).toBe(
      'a.png?sig=** 1x, b.png?sig=** 2x',
    );
  });
});
