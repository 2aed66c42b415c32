import { describe, expect, it } from 'vitest';
import { SightlineError } from '@sightline/protocol';
import { DEFAULTS, resolveSettings, type SightlineSettings } from './options.js';

const PAGE = { pageOrigin: 'https://shop.example.com' };

function errorOf(run: () => unknown): SightlineError {
  try {
    run();
  } catch (error) {
    if (error instanceof SightlineError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('resolveSettings', () => {
  it('fills every default from DEFAULTS', () => {
    expect(resolveSettings(undefined, PAGE)).toEqual({
      serverUrl: 'https://shop.example.com',
      wsUrl: 'wss://shop.example.com/ws',
      piiMask: DEFAULTS.piiMask,
      piiDetection: DEFAULTS.piiDetection,
      blockSelectors: '',
      maskUrlParams: [],
      showMaskedAreas: false,
      agentLabel: 'Support',
      multiTabSessionPersistence: { enable: false, stateCookieKey: 'sightline.session' },
      acceptInvites: true,
      remoteAssist: {
        enable: false,
        enableCustomerConsent: true,
        remoteAssistTypes: ['scroll_page', 'click', 'hover', 'type', 'select', 'key', 'navigate'],
        requireStopConfirmation: false,
        denySelectors: [],
      },
      allowAgentAnnotation: true,
      allowCustomerAnnotation: true,
    });
    expect(DEFAULTS.piiMask).toEqual({
      maskType: 'all_input',
      maskCssSelectors: '',
      maskHTMLAttributes: '',
      unmaskCssSelectors: '',
    });
  });

  it("takes Zoom's remoteAssist, and its scroll-only list, and refuses odd values", () => {
    const zoom = resolveSettings(
      {
        remoteAssist: {
          enable: true,
          enableCustomerConsent: false,
          remoteAssistTypes: ['scroll_page', 'scroll_page'],
          requireStopConfirmation: true,
          denySelectors: [' #place-order '],
        },
      },
      { ...PAGE, isValidSelector: (selector) => !selector.includes('[[') },
    ).remoteAssist;
    expect(zoom).toEqual({
      enable: true,
      enableCustomerConsent: false,
      remoteAssistTypes: ['scroll_page'],
      requireStopConfirmation: true,
      denySelectors: ['#place-order'],
    });
    const odd: [unknown, RegExp][] = [
      [true, /remoteAssist must be an object/],
      [{ enable: 'yes' }, /remoteAssist.enable must be true or false/],
      [{ enableCustomerConsent: 1 }, /enableCustomerConsent/],
      [{ requireStopConfirmation: null }, /requireStopConfirmation/],
      [{ remoteAssistTypes: [] }, /remoteAssistTypes must be a non-empty array/],
      [{ remoteAssistTypes: ['scroll_page', 'drag'] }, /remoteAssistTypes/],
      [{ remoteAssistTypes: 'click' }, /remoteAssistTypes/],
      [{ denySelectors: '#place-order' }, /denySelectors must be an array/],
      [{ denySelectors: [''] }, /denySelectors must be an array/],
      [{ denySelectors: ['a[[b'] }, /"a\[\[b" is not a valid CSS selector/],
    ];
    for (const [remoteAssist, message] of odd) {
      expect(
        errorOf(() =>
          resolveSettings({ remoteAssist } as SightlineSettings, {
            ...PAGE,
            isValidSelector: (selector) => !selector.includes('[['),
          }),
        ).message,
      ).toMatch(message);
    }
  });

  it('lets agents and the customer draw unless told not to, and refuses a non-boolean', () => {
    const off = resolveSettings(
      { allowAgentAnnotation: false, allowCustomerAnnotation: false },
      PAGE,
    );
    expect([off.allowAgentAnnotation, off.allowCustomerAnnotation]).toEqual([false, false]);
    expect(() => resolveSettings({ allowAgentAnnotation: 'no' as never }, PAGE)).toThrow(
      /allowAgentAnnotation must be true or false/,
    );
    expect(() => resolveSettings({ allowCustomerAnnotation: 0 as never }, PAGE)).toThrow(
      /allowCustomerAnnotation must be true or false/,
    );
  });

  it('takes invitation links unless told not to, and refuses a non-boolean', () => {
    expect(resolveSettings({ acceptInvites: false }, PAGE).acceptInvites).toBe(false);
    expect(errorOf(() => resolveSettings({ acceptInvites: 'no' as never }, PAGE)).message).toMatch(
      /acceptInvites must be true or false/,
    );
  });

  it('takes multiTabSessionPersistence, or its older name, and refuses odd values', () => {
    expect(
      resolveSettings({ multiTabSessionPersistence: { enable: true } }, PAGE)
        .multiTabSessionPersistence,
    ).toEqual({ enable: true, stateCookieKey: 'sightline.session' });
    expect(
      resolveSettings(
        { allowSessionContinuation: { enable: true, stateCookieKey: ' $$S$$ ' } },
        PAGE,
      ).multiTabSessionPersistence,
    ).toEqual({ enable: true, stateCookieKey: '$$S$$' });
    const odd = [
      { multiTabSessionPersistence: true },
      { multiTabSessionPersistence: { enable: 'yes' } },
      { multiTabSessionPersistence: { enable: true, stateCookieKey: '' } },
    ];
    for (const settings of odd) {
      expect(() => resolveSettings(settings as SightlineSettings, PAGE)).toThrow(
        /multiTabSessionPersistence/,
      );
    }
  });

  it('takes the agent label for the consent prompt, trimmed, and refuses a long or odd one', () => {
    expect(resolveSettings({ agentLabel: ' Billing ' }, PAGE).agentLabel).toBe('Billing');
    expect(resolveSettings({ agentLabel: '' }, PAGE).agentLabel).toBe('');
    expect(() => resolveSettings({ agentLabel: 'x'.repeat(41) }, PAGE)).toThrow(/agentLabel/);
    expect(() => resolveSettings({ agentLabel: 3 as unknown as string }, PAGE)).toThrow(
      /agentLabel/,
    );
  });

  it('defaults serverUrl to the origin the script came from, before the page origin', () => {
    const resolved = resolveSettings({}, { ...PAGE, scriptOrigin: 'http://cobrowse.test:8080' });
    expect(resolved.serverUrl).toBe('http://cobrowse.test:8080');
    expect(resolved.wsUrl).toBe('ws://cobrowse.test:8080/ws');
  });

  it('prefers an explicit serverUrl, keeps a path prefix and drops a trailing slash', () => {
    const resolved = resolveSettings(
      { serverUrl: 'https://support.example.com/sightline/' },
      { ...PAGE, scriptOrigin: 'https://cdn.example.com' },
    );
    expect(resolved.serverUrl).toBe('https://support.example.com/sightline');
    expect(resolved.wsUrl).toBe('wss://support.example.com/sightline/ws');
  });

  it('resolves a relative serverUrl against the page', () => {
    expect(resolveSettings({ serverUrl: '/cb' }, PAGE).serverUrl).toBe(
      'https://shop.example.com/cb',
    );
  });

  it('keeps the piiMask values given, trimmed, and defaults the rest', () => {
    const resolved = resolveSettings(
      { piiMask: { maskType: 'custom_input', maskCssSelectors: ' #email, .pii ' } },
      PAGE,
    );
    expect(resolved.piiMask).toEqual({
      maskType: 'custom_input',
      maskCssSelectors: '#email, .pii',
      maskHTMLAttributes: '',
      unmaskCssSelectors: '',
    });
  });

  it('takes the allow-list mode, block selectors and URL parameters to mask', () => {
    const resolved = resolveSettings(
      {
        piiMask: { maskType: 'all_text', unmaskCssSelectors: ' nav ' },
        blockSelectors: ' img.avatar, canvas ',
        maskUrlParams: [' Token ', 'email'],
      },
      PAGE,
    );
    expect(resolved.piiMask).toMatchObject({ maskType: 'all_text', unmaskCssSelectors: 'nav' });
    expect(resolved.blockSelectors).toBe('img.avatar, canvas');
    expect(resolved.maskUrlParams).toEqual(['token', 'email']);
  });

  it('ignores settings it does not know, such as Zoom-only keys', () => {
    const zoomSettings = { allowAgentAnnotation: true, piiMask: { maskType: 'all_input' } };
    expect(resolveSettings(zoomSettings as SightlineSettings, PAGE).piiMask.maskType).toBe(
      'all_input',
    );
  });

  it.each([
    ['an unknown maskType', { piiMask: { maskType: 'none' } }, 'maskType'],
    ['a piiMask that is not an object', { piiMask: 'all_input' }, 'piiMask must be an object'],
    ['a selector list that is not a string', { piiMask: { maskCssSelectors: ['#a'] } }, 'string'],
    ['a bad maskHTMLAttributes', { piiMask: { maskHTMLAttributes: '=x' } }, 'maskHTMLAttributes'],
    ['maskUrlParams that is not a list', { maskUrlParams: 'token' }, 'maskUrlParams'],
    ['an empty maskUrlParams name', { maskUrlParams: [' '] }, 'maskUrlParams'],
    ['a showMaskedAreas that is not a boolean', { showMaskedAreas: 'yes' }, 'showMaskedAreas'],
    ['blockSelectors that is not a string', { blockSelectors: ['img'] }, 'string'],
    ['a non-http serverUrl', { serverUrl: 'ftp://example.com' }, 'http: or https:'],
    ['an empty serverUrl', { serverUrl: ' ' }, 'non-empty'],
  ])('refuses %s with REQUEST_INVALID', (_label, settings, message) => {
    const error = errorOf(() => resolveSettings(settings as SightlineSettings, PAGE));
    expect(error.errorName).toBe('REQUEST_INVALID');
    expect(error.code).toBe(4001);
    expect(error.message).toContain(message);
  });

  it('refuses a selector the browser rejects, instead of silently masking nothing', () => {
    const isValidSelector = (selector: string) => !selector.includes('[[');
    const error = errorOf(() =>
      resolveSettings({ piiMask: { maskCssSelectors: 'input[[' } }, { ...PAGE, isValidSelector }),
    );
    expect(error.message).toContain('not a valid CSS selector');
    for (const settings of [
      { blockSelectors: 'img[[' },
      { piiMask: { maskType: 'all_text' as const, unmaskCssSelectors: 'nav[[' } },
    ]) {
      expect(
        errorOf(() => resolveSettings(settings, { ...PAGE, isValidSelector })).message,
      ).toMatch(/(blockSelectors|unmaskCssSelectors) .* is not a valid CSS selector/);
    }
    expect(
      resolveSettings({ piiMask: { maskCssSelectors: '#ok' } }, { ...PAGE, isValidSelector })
        .piiMask.maskCssSelectors,
    ).toBe('#ok');
  });

  it('needs a serverUrl when there is neither a script origin nor a page', () => {
    expect(errorOf(() => resolveSettings({}, {})).message).toContain('serverUrl is required');
    expect(errorOf(() => resolveSettings({}, { pageOrigin: 'null' })).message).toContain(
      'serverUrl is required',
    );
  });
});
