import { expect, it } from 'vitest';
import type { ControlSettings } from '@sightline/protocol';
import type { ControlInfo } from './control.js';
import { drawingBlock } from './drawing.js';

const settings = (allowAgentAnnotation: boolean): ControlSettings => ({
  remoteAssist: {
    enable: true,
    enableCustomerConsent: true,
    types: ['scroll_page'],
    requireStopConfirmation: false,
  },
  allowAgentAnnotation,
  allowCustomerAnnotation: false,
});

const info = (mode: ControlInfo['mode'], page: ControlSettings | null): ControlInfo => ({
  revision: 1,
  mode,
  controller: null,
  isController: false,
  grantUntil: null,
  pending: null,
  settings: page,
});

it('offers drawing in guided and up, when the page allows agents to draw', () => {
  expect(drawingBlock(undefined)).toBe('waiting');
  expect(drawingBlock(info('guided', null))).toBe('waiting');
  expect(drawingBlock(info('view_only', settings(true)))).toBe('mode');
  expect(drawingBlock(info('full_control', settings(false)))).toBe('page');
  for (const mode of ['guided', 'controlled', 'full_control'] as const) {
    expect(drawingBlock(info(mode, settings(true)))).toBeUndefined();
  }
});
