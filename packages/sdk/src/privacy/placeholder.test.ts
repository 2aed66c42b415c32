import { describe, expect, it } from 'vitest';
import { placeholderBoxStyle, type BoxElement, type ComputedBox } from './placeholder.js';

/** A laid-out element: its computed style, its box, its children (or an open shadow root's). */
interface Laid extends BoxElement {
  style: ComputedBox;
}

function laid(
  style: Partial<ComputedBox>,
  box: { top: number; bottom: number },
  children: Laid[] = [],
  shadow = false,
): Laid {
  return {
    style: {
      display: 'block',
      position: 'static',
      cssFloat: 'none',
      top: 'auto',
      right: 'auto',
      bottom: 'auto',
      left: 'auto',
      marginTop: '0px',
      marginRight: '0px',
      marginBottom: '0px',
      marginLeft: '0px',
      paddingTop: '0px',
      paddingBottom: '0px',
      borderTopWidth: '0px',
      borderBottomWidth: '0px',
      ...style,
    },
    getBoundingClientRect: () => box,
    children: shadow ? [] : children,
    shadowRoot: shadow ? { children } : null,
  };
}

const styleOf = (element: BoxElement) => (element as Laid).style;

describe('placeholderBoxStyle', () => {
  it('makes an inline element inline-block, so its measured size applies (issue 4, blocked-layout)', () => {
    expect(placeholderBoxStyle(laid({ display: 'inline' }, { top: 0, bottom: 0 }), styleOf)).toBe(
      'display: inline-block; margin: 0px 0px 0px 0px;',
    );
  });

  it("keeps the display, position and float the element's style attribute gave it", () => {
    const element = laid(
      { display: 'block', position: 'absolute', top: '10px', left: '4px', cssFloat: 'left' },
      { top: 10, bottom: 60 },
    );
    expect(placeholderBoxStyle(element, styleOf)).toBe(
      'display: block; position: absolute; top: 10px; right: auto; bottom: auto; left: 4px; float: left; margin: 0px 0px 0px 0px;',
    );
  });

  it("takes on a shadow child's top margin that collapsed through the host", () => {
    const p = laid({ marginTop: '16px', marginBottom: '16px' }, { top: 116, bottom: 134 });
    const host = laid({}, { top: 116, bottom: 166 }, [p], true);
    expect(placeholderBoxStyle(host, styleOf)).toBe('display: block; margin: 16px 0px 0px 0px;');
  });

  it('collapses through several levels, and both ends, largest margin winning', () => {
    const inner = laid({ marginTop: '24px', marginBottom: '8px' }, { top: 100, bottom: 120 });
    const middle = laid({ marginTop: '10px', marginBottom: '30px' }, { top: 100, bottom: 120 }, [
      inner,
    ]);
    const outer = laid({ marginTop: '12px' }, { top: 100, bottom: 120 }, [middle]);
    expect(placeholderBoxStyle(outer, styleOf)).toBe('display: block; margin: 24px 0px 30px 0px;');
  });

  it('keeps its own margins when padding, a border, content or a flex container holds the child in', () => {
    const child = () => laid({ marginTop: '16px', marginBottom: '16px' }, { top: 20, bottom: 40 });
    const padded = laid({ paddingTop: '4px', paddingBottom: '4px' }, { top: 0, bottom: 60 }, [
      child(),
    ]);
    expect(placeholderBoxStyle(padded, styleOf)).toBe('display: block; margin: 0px 0px 0px 0px;');
    const spaced = laid({ marginTop: '2px' }, { top: 0, bottom: 60 }, [child()]);
    expect(placeholderBoxStyle(spaced, styleOf)).toBe('display: block; margin: 2px 0px 0px 0px;');
    const flex = laid({ display: 'flex' }, { top: 20, bottom: 40 }, [child()]);
    expect(placeholderBoxStyle(flex, styleOf)).toBe('display: flex; margin: 0px 0px 0px 0px;');
  });

  it('skips children out of the flow', () => {
    const floated = laid({ cssFloat: 'left', marginTop: '40px' }, { top: 0, bottom: 10 });
    const element = laid({}, { top: 0, bottom: 10 }, [floated]);
    expect(placeholderBoxStyle(element, styleOf)).toBe('display: block; margin: 0px 0px 0px 0px;');
  });
});
