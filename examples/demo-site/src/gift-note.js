/* global document */
// The gift note in the checkout: a React-controlled input (its value lives in React state, and
// React writes it back on every render) with a preview rendered from that state. It shows that an
// agent's typing in remote assist updates React's state, not just the field: the preview follows.
// Bundled with React by `npm run build` (build.mjs) into public/dist/gift-note.js.
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';

const MAX_LENGTH = 120;

function GiftNote() {
  const [note, setNote] = useState('');
  const preview = note.trim()
    ? `Your card will read: “${note.trim()}”`
    : 'No gift note yet. Add one and we will print it on a card.';
  return h(
    'div',
    { className: 'gift-note' },
    h('label', { htmlFor: 'gift-note-input' }, 'Gift note (optional)'),
    h('input', {
      id: 'gift-note-input',
      name: 'gift-note',
      type: 'text',
      autoComplete: 'off',
      maxLength: MAX_LENGTH,
      value: note,
      onChange: (event) => setNote(event.target.value),
    }),
    h('p', { id: 'gift-note-preview', className: 'gift-note-preview' }, preview),
    h('p', { id: 'gift-note-count', className: 'muted' }, `${note.length}/${MAX_LENGTH}`),
  );
}

const mount = document.getElementById('gift-note');
if (mount) createRoot(mount).render(h(GiftNote));
