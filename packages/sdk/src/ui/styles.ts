/**
 * @module
 * The styles of the SDK's own UI. They live inside its closed shadow root, so the page's CSS
 * cannot restyle the prompt and ours cannot leak onto the page.
 */

/** The stylesheet of the shadow root. */
export const UI_STYLES = `
:host {
  all: initial;
  position: fixed;
  inset: 0;
  z-index: 2147483647;
  pointer-events: none;
  font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: #1b1f24;
}
* { box-sizing: border-box; }
.backdrop {
  position: fixed;
  inset: 0;
  display: grid;
  place-items: center;
  background: rgba(15, 20, 25, 0.45);
  pointer-events: auto;
}
.dialog {
  width: min(420px, calc(100vw - 32px));
  padding: 24px;
  border-radius: 12px;
  background: #fff;
  box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
}
.dialog h2 { margin: 0 0 8px; font-size: 18px; line-height: 1.3; font-weight: 600; }
.dialog p { margin: 0 0 20px; color: #4a525c; }
.actions { display: flex; gap: 12px; justify-content: flex-end; }
button {
  font: inherit;
  font-weight: 600;
  min-height: 40px;
  padding: 8px 18px;
  border-radius: 8px;
  border: 1px solid #b8c0ca;
  background: #fff;
  color: #1b1f24;
  cursor: pointer;
}
button.primary { background: #0b63ce; border-color: #0b63ce; color: #fff; }
button:hover { filter: brightness(0.95); }
button:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.banner {
  position: fixed;
  left: 16px;
  right: 16px;
  bottom: 16px;
  width: fit-content;
  max-width: calc(100vw - 32px);
  margin: 0 auto;
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 8px 14px;
  padding: 8px 8px 8px 16px;
  border-radius: 24px;
  background: #1b1f24;
  color: #fff;
  box-shadow: 0 6px 24px rgba(0, 0, 0, 0.3);
  pointer-events: auto;
  /* Above a question's backdrop: Stop stays in reach while one is open. */
  z-index: 1;
}
.banner .dot {
  flex: none;
  width: 10px;
  height: 10px;
  border-radius: 50%;
  background: #e5484d;
}
.banner[data-mode='controlled'] .dot,
.banner[data-mode='full_control'] .dot { background: #f5a623; }
.banner .banner-text { min-width: 0; }
.banner .time-left,
.banner .grant-left { flex: none; color: #f5c26b; font-variant-numeric: tabular-nums; }
.banner [hidden] { display: none !important; }
.banner button {
  flex: none;
  min-height: 32px;
  padding: 4px 14px;
  border: 1px solid rgba(255, 255, 255, 0.45);
  border-radius: 16px;
  background: transparent;
  color: #fff;
}
.banner button[aria-pressed='true'] { background: #fff; color: #1b1f24; }
.banner button.stop { border-color: #e5484d; background: #e5484d; }
@media (prefers-reduced-motion: no-preference) {
  .dialog { animation: rise 160ms ease-out; }
  @keyframes rise { from { transform: translateY(8px); opacity: 0; } }
}
.masked-areas {
  position: fixed;
  inset: 0;
  pointer-events: none;
  overflow: hidden;
}
.masked-area {
  position: fixed;
  outline: 2px dashed #b3261e;
  outline-offset: 1px;
  background: rgba(179, 38, 30, 0.06);
}
.masked-label {
  position: absolute;
  top: 0;
  left: 0;
  padding: 0 4px;
  font-size: 11px;
  line-height: 16px;
  color: #fff;
  background: #b3261e;
  white-space: nowrap;
}
`;
