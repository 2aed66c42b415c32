import { describe, expect, it } from 'vitest';
import { RemoteAssistType } from '@sightline/protocol';
import { isSameOriginUrl, validateCommand, type ValidationContext } from './validate.js';

const AGENT = { userId: 'agent-1', userName: 'Jane Doe', role: 'agent' } as const;
const CONTEXT: ValidationContext = {
  tabId: 'tab-1',
  enabled: true,
  types: RemoteAssistType.options,
  origin: 'https://shop.example.com',
};

function relay(action: unknown, extra: object = {}) {
  return {
    type: 'control.command',
    commandId: 'c1',
    tabId: 'tab-1',
    agent: AGENT,
    action,
    ...extra,
  };
}

describe('stage 1: validating a command', () => {
  it('takes a well-formed command for this tab that the page allows', () => {
    const checked = validateCommand(relay({ kind: 'click', nodeId: 12 }), CONTEXT);
    expect(checked).toEqual({ command: relay({ kind: 'click', nodeId: 12 }) });
    const typed = validateCommand(relay({ kind: 'type', nodeId: 3, text: 'hi' }), CONTEXT);
    // The schema's default: insert at the caret.
    expect(typed).toMatchObject({ command: { action: { replace: false } } });
  });

  it('refuses what the page does not allow: remote assist off, or a type not listed', () => {
    const off = validateCommand(relay({ kind: 'click', nodeId: 12 }), {
      ...CONTEXT,
      enabled: false,
    });
    expect(off).toEqual({ commandId: 'c1', refusal: 'not_allowed' });
    const scrollOnly = { ...CONTEXT, types: ['scroll_page'] as const };
    expect(validateCommand(relay({ kind: 'click', nodeId: 12 }), scrollOnly)).toEqual({
      commandId: 'c1',
      refusal: 'not_allowed',
    });
    // Focus and double-click count as clicks; a check counts as select.
    expect(validateCommand(relay({ kind: 'focus', nodeId: 1 }), scrollOnly)).toMatchObject({
      refusal: 'not_allowed',
    });
    expect(
      validateCommand(relay({ kind: 'scroll', left: 0, top: 400 }), scrollOnly),
    ).toHaveProperty('command');
    const clicks = { ...CONTEXT, types: ['click'] as const };
    expect(validateCommand(relay({ kind: 'dblclick', nodeId: 1 }), clicks)).toHaveProperty(
      'command',
    );
    expect(
      validateCommand(relay({ kind: 'check', nodeId: 1, checked: true }), clicks),
    ).toMatchObject({ refusal: 'not_allowed' });
  });

  it('refuses a navigation off the page origin, to another scheme, or to a relative URL', () => {
    const to = (url: string) => relay({ kind: 'navigate', to: 'url', url });
    expect(validateCommand(to('https://shop.example.com/cart?x=1'), CONTEXT)).toHaveProperty(
      'command',
    );
    for (const url of [
      'https://evil.example.com/',
      'http://shop.example.com/',
      'javascript:alert(1)',
      '/cart',
      'https://shop.example.com.evil.test/',
    ]) {
      expect(validateCommand(to(url), CONTEXT)).toEqual({ commandId: 'c1', refusal: 'off_origin' });
    }
    expect(isSameOriginUrl('data:text/html,hi', 'null')).toBe(false);
  });

  it('answers a malformed command that names this tab, and drops the rest', () => {
    expect(validateCommand(relay({ kind: 'click', nodeId: -4 }), CONTEXT)).toEqual({
      commandId: 'c1',
      refusal: 'not_actionable',
    });
    expect(validateCommand(relay({ kind: 'key', key: 'Delete' }), CONTEXT)).toMatchObject({
      refusal: 'not_actionable',
    });
    expect(
      validateCommand(relay({ kind: 'click', nodeId: 1 }, { tabId: 'tab-2' }), CONTEXT),
    ).toEqual({ drop: true });
    expect(validateCommand(relay({ kind: 'nope' }, { commandId: 'bad id!' }), CONTEXT)).toEqual({
      drop: true,
    });
    expect(validateCommand('control.command', CONTEXT)).toEqual({ drop: true });
  });
});
