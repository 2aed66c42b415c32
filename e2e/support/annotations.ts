/**
 * @module
 * Reading annotations where people see them, for the annotation e2e tests (issue 5): the shapes
 * of the SDK's overlay on the customer's page, inside its closed shadow root (reached through the
 * DevTools protocol, as nothing on the page can), and the shapes over the console's mirror; the
 * mirror's boxes of the page's elements; and a drag on the mirror, as an agent's mouse makes it.
 */
import type { CDPSession, Page } from 'playwright-core';

/** A box in a page's viewport, CSS px. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One annotation as drawn: its id, the box of its shape, and the words of its overlay. */
export interface DrawnShape {
  id: string;
  box: Box;
  /** The whole overlay's text: every author's name tag and every label. */
  overlayText: string;
}

interface DomNode {
  nodeId: number;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

const sessions = new WeakMap<Page, CDPSession>();

async function cdpOf(page: Page): Promise<CDPSession> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    sessions.set(page, cdp);
  }
  return cdp;
}

function attribute(node: DomNode, name: string): string | undefined {
  const list = node.attributes ?? [];
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
  return undefined;
}

function* walk(node: DomNode): Generator<DomNode> {
  yield node;
  for (const child of node.children ?? []) yield* walk(child);
  for (const root of node.shadowRoots ?? []) yield* walk(root);
}

/**
 * The annotations shown in the SDK's overlay on the customer's page: every shape group not hidden
 * (an anchor out of the page hides its annotation), with its shape's box in the page's viewport.
 */
export async function overlayShapes(customer: Page): Promise<DrawnShape[]> {
  const cdp = await cdpOf(customer);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as {
    root: DomNode;
  };
  const shapes: DrawnShape[] = [];
  for (const node of walk(root)) {
    const id = attribute(node, 'data-annotation-id');
    if (id === undefined || attribute(node, 'display') === 'none') continue;
    const shape = node.children?.[0];
    if (!shape) continue;
    const { object } = (await cdp.send('DOM.resolveNode', { nodeId: shape.nodeId })) as {
      object: { objectId: string };
    };
    const { result } = (await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: `function () {
        const r = this.getBoundingClientRect();
        return { box: { left: r.left, top: r.top, width: r.width, height: r.height },
                 text: this.getRootNode().textContent || '' };
      }`,
      returnByValue: true,
    })) as { result: { value: { box: Box; text: string } } };
    shapes.push({ id, box: result.value.box, overlayText: result.value.text });
  }
  return shapes;
}

/** The annotations shown over the console's mirror, with their shapes' boxes in the console. */
export async function mirrorShapes(agent: Page): Promise<DrawnShape[]> {
  return agent.evaluate(() => {
    const layer = document.querySelector('#mirror .sightline-annotations');
    const groups = [...(layer?.querySelectorAll('[data-annotation-id]') ?? [])];
    return groups
      .filter((group) => group.getAttribute('display') !== 'none' && group.firstElementChild)
      .map((group) => {
        const r = (group.firstElementChild as Element).getBoundingClientRect();
        return {
          id: group.getAttribute('data-annotation-id') ?? '',
          box: { left: r.left, top: r.top, width: r.width, height: r.height },
          overlayText: layer?.textContent ?? '',
        };
      });
  });
}

/** The box of `selector` on the customer's page, in its viewport. */
export async function pageBoxOf(customer: Page, selector: string): Promise<Box> {
  return customer.evaluate((s) => {
    const r = document.querySelector(s)?.getBoundingClientRect();
    if (!r) throw new Error(`${s} is not on the page`);
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  }, selector);
}

/**
 * The box `selector` shows at on the console: its box in the mirror's rebuilt document, through
 * the replay frame's offset and fit scale. Undefined while the mirror has no such element.
 */
export async function mirrorBoxOf(agent: Page, selector: string): Promise<Box | undefined> {
  return agent.evaluate((wanted) => {
    const frame = document.querySelector<HTMLIFrameElement>('#mirror iframe');
    const element = frame?.contentDocument?.querySelector(wanted);
    if (!frame || !element) return undefined;
    const outer = frame.getBoundingClientRect();
    const scale = outer.width / frame.offsetWidth;
    const box = element.getBoundingClientRect();
    return {
      left: outer.left + (frame.clientLeft + box.left) * scale,
      top: outer.top + (frame.clientTop + box.top) * scale,
      width: box.width * scale,
      height: box.height * scale,
    };
  }, selector);
}

/** Whether `outer` covers `inner`, with `slack` px of rounding, and is not far bigger. */
export function surrounds(outer: Box, inner: Box, slack = 2, margin = 60): boolean {
  return (
    outer.left <= inner.left + slack &&
    outer.top <= inner.top + slack &&
    outer.left + outer.width >= inner.left + inner.width - slack &&
    outer.top + outer.height >= inner.top + inner.height - slack &&
    outer.width <= inner.width + 2 * margin &&
    outer.height <= inner.height + 2 * margin
  );
}

/** The agent drags on the console from `from` to `to` with the mouse, in small steps. */
export async function dragOn(
  agent: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
): Promise<void> {
  await agent.mouse.move(from.x, from.y);
  await agent.mouse.down();
  await agent.mouse.move(to.x, to.y, { steps: 12 });
  await agent.mouse.up();
}
