import type { Annotation } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import { AnnotationHistory } from './history.js';

function annotation(id: string, over: Partial<Annotation> = {}): Annotation {
  return {
    id,
    tool: 'rectangle',
    tabId: 'tab-1',
    nodeId: 4,
    points: [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ],
    color: '#30a46c',
    width: 3,
    ...over,
  } as Annotation;
}

describe("one author's undo and redo", () => {
  it('undoes a drawing by erasing it, and redoes it by drawing it again', () => {
    const history = new AnnotationHistory();
    const a = annotation('a');
    history.record({ type: 'annotation.draw', annotation: a }, []);
    expect(history.canUndo).toBe(true);
    expect(history.undo()).toEqual([{ type: 'annotation.erase', ids: ['a'] }]);
    expect(history.canRedo).toBe(true);
    expect(history.redo()).toEqual([{ type: 'annotation.draw', annotation: a }]);
    expect(history.redo()).toEqual([]);
  });

  it('undoes a redraw by putting back the version it replaced', () => {
    const history = new AnnotationHistory();
    const before = annotation('a');
    const after = annotation('a', { color: '#e5484d' });
    history.record({ type: 'annotation.draw', annotation: after }, [before]);
    expect(history.undo()).toEqual([{ type: 'annotation.draw', annotation: before }]);
  });

  it('undoes the eraser and a clear by drawing back what they removed', () => {
    const history = new AnnotationHistory();
    const [a, b, c] = [annotation('a'), annotation('b'), annotation('c')];
    history.record({ type: 'annotation.erase', ids: ['b'] }, [a, b, c]);
    history.record({ type: 'annotation.clear' }, [a, c]);
    expect(history.undo()).toEqual([
      { type: 'annotation.draw', annotation: a },
      { type: 'annotation.draw', annotation: c },
    ]);
    expect(history.undo()).toEqual([{ type: 'annotation.draw', annotation: b }]);
    expect(history.redo()).toEqual([{ type: 'annotation.erase', ids: ['b'] }]);
    expect(history.redo()).toEqual([{ type: 'annotation.clear' }]);
  });

  it('forgets what was undone once something new is done', () => {
    const history = new AnnotationHistory();
    history.drew(annotation('a'));
    history.undo();
    history.drew(annotation('b'));
    expect(history.canRedo).toBe(false);
    expect(history.undo()).toEqual([{ type: 'annotation.erase', ids: ['b'] }]);
    expect(history.undo()).toEqual([]);
  });

  it('does not record vanishing strokes, which go by themselves', () => {
    const history = new AnnotationHistory();
    history.drew(annotation('v', { tool: 'vanishing_pen' }));
    history.erased([annotation('v', { tool: 'vanishing_pen' })]);
    expect(history.canUndo).toBe(false);
  });

  it('keeps only the last steps, and splits a long erasure into frames the schema accepts', () => {
    const history = new AnnotationHistory(2);
    for (const id of ['a', 'b', 'c']) history.drew(annotation(id));
    history.undo();
    history.undo();
    expect(history.undo()).toEqual([]);
    const many = Array.from({ length: 300 }, (_, i) => annotation(`n${i}`));
    const fresh = new AnnotationHistory();
    fresh.erased(many);
    fresh.undo();
    const frames = fresh.redo();
    expect(
      frames.map((frame) => (frame.type === 'annotation.erase' ? frame.ids.length : 0)),
    ).toEqual([256, 44]);
  });
});
