import { describe, expect, it } from 'vitest';
import { TabId } from '@sightline/protocol';
import { TAB_ID_STORAGE_KEY, tabIdFrom, type TabIdStorage } from './tab-id.js';

function memoryStorage(
  initial: Record<string, string> = {},
): TabIdStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => {
      data[key] = value;
    },
  };
}

describe('tabIdFrom', () => {
  it('creates a valid id once and keeps it in storage, so a reload reuses it', () => {
    const storage = memoryStorage();
    const id = tabIdFrom(storage);
    expect(TabId.safeParse(id).success).toBe(true);
    expect(storage.data[TAB_ID_STORAGE_KEY]).toBe(id);
    expect(tabIdFrom(storage)).toBe(id);
  });

  it('replaces a stored value that is not a valid tab id', () => {
    const storage = memoryStorage({ [TAB_ID_STORAGE_KEY]: 'not valid!' });
    const id = tabIdFrom(storage);
    expect(id).not.toBe('not valid!');
    expect(TabId.safeParse(id).success).toBe(true);
  });

  it('still works when storage throws (blocked storage)', () => {
    const blocked: TabIdStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(TabId.safeParse(tabIdFrom(blocked)).success).toBe(true);
    expect(tabIdFrom(blocked)).not.toBe(tabIdFrom(blocked));
  });
});
