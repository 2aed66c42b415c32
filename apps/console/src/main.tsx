/**
 * @module
 * Entry point: mounts the console into `#app`. Loaded as `./console.js` by `index.html`; the page
 * has no inline script or style, as the server's CSP requires.
 */
import { render } from 'preact';
import './styles.css';
import { App } from './app.js';

const host = document.getElementById('app');
if (host) render(<App />, host);
