import { SightlineError } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import { assertScriptlessSandbox } from './sandbox.js';

const frame = (sandbox: string | null) => ({ getAttribute: () => sandbox });

describe('assertScriptlessSandbox', () => {
  it.each(['allow-same-origin', '', 'allow-same-origin allow-popups'])(
    'accepts sandbox="%s"',
    (sandbox) => {
      expect(() => assertScriptlessSandbox(frame(sandbox))).not.toThrow();
    },
  );

  it.each([
    'allow-same-origin allow-scripts',
    'allow-scripts',
    'ALLOW-SCRIPTS allow-same-origin',
    '  allow-same-origin\n\tallow-scripts ',
  ])('refuses sandbox="%s"', (sandbox) => {
    expect(() => assertScriptlessSandbox(frame(sandbox))).toThrow(SightlineError);
  });

  it('refuses a frame with no sandbox at all', () => {
    expect(() => assertScriptlessSandbox(frame(null))).toThrow(/not sandboxed/);
  });
});
