/* global window, document, fetch */
// The demo shop: a cart, a checkout form that goes nowhere, and the Sightline "Get help" flow.
// No build step: plain browser JavaScript.

const $ = (selector) => document.querySelector(selector);
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

// ---- Cart ------------------------------------------------------------------------------------

const cart = new Map(); // product id -> { name, price (cents), quantity }

function renderCart() {
  const items = $('#cart-items');
  items.replaceChildren();
  let count = 0;
  let total = 0;
  for (const { name, price, quantity } of cart.values()) {
    count += quantity;
    total += price * quantity;
    const item = document.createElement('li');
    item.textContent = `${quantity} × ${name}`;
    const amount = document.createElement('span');
    amount.textContent = money.format((price * quantity) / 100);
    item.append(amount);
    items.append(item);
  }
  $('#cart-count').textContent = String(count);
  $('#cart-total').textContent = money.format(total / 100);
  $('#cart-empty').hidden = count > 0;
}

document.querySelectorAll('.product').forEach((product) => {
  product.querySelector('button').addEventListener('click', () => {
    const { id, name, price } = product.dataset;
    const line = cart.get(id) ?? { name, price: Number(price), quantity: 0 };
    line.quantity += 1;
    cart.set(id, line);
    renderCart();
  });
});

$('#go-to-checkout').addEventListener('click', () => {
  $('#checkout').scrollIntoView({ behavior: 'smooth' });
  $('#name').focus({ preventScroll: true });
});

$('#checkout-form').addEventListener('submit', (event) => {
  event.preventDefault();
  $('#order-status').textContent = 'Thanks! This is a demo, so nothing was ordered or charged.';
});

// ---- Sightline: "Get help" -------------------------------------------------------------------

const getHelp = $('#get-help');
const endSharing = $('#end-sharing');
let session = null;
let viewers = [];

function setStatus(text) {
  $('#sightline-status').textContent = text;
}

function showPin(pincode) {
  // Six digits read better as two groups: "123 456".
  $('#sightline-pin').textContent = /^\d{6}$/.test(pincode)
    ? `${pincode.slice(0, 3)} ${pincode.slice(3)}`
    : pincode;
}

function showViewers() {
  if (viewers.length === 0) setStatus('Waiting for an agent to join…');
  else setStatus(`${viewers.join(', ')} ${viewers.length === 1 ? 'is' : 'are'} viewing`);
}

function finished(text) {
  session = null;
  viewers = [];
  $('#sightline-pin').textContent = '';
  if (text) setStatus(text);
  endSharing.disabled = true;
  getHelp.disabled = false;
}

// The demo server issues customer tokens to anyone. A real site signs them on its own server,
// for its signed-in user, with the app's SDK secret (which never reaches the browser).
async function fetchCustomerToken() {
  const response = await fetch('/api/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 1, userName: 'Demo Customer' }),
  });
  if (!response.ok) throw new Error(`The token endpoint answered ${response.status}.`);
  const { token } = await response.json();
  return token;
}

function wire(created) {
  created.on('pincode_updated', ({ pincode }) => showPin(pincode));
  created.on('session_started', () => showViewers());
  // An agent sees the page only once the customer allows it in the SDK's prompt. After a reload
  // the SDK learns from the server who is still allowed.
  created.on('consent_decided', ({ agent, decision }) => {
    if (decision !== 'allow') return;
    viewers = [...viewers.filter((name) => name !== agent.userName), agent.userName];
    showViewers();
  });
  created.on('viewers_changed', ({ agents }) => {
    viewers = agents.map((agent) => agent.userName);
    showViewers();
  });
  created.on('agent_left', ({ userName }) => {
    viewers = viewers.filter((name) => name !== userName);
    showViewers();
  });
  // Remote assist: the SDK's banner shows who controls the page and lets the customer stop it;
  // the shop's own panel says it too.
  created.on('control_mode_changed', ({ mode, controller }) => {
    if (controller) setStatus(`${controller.userName} is controlling this page`);
    else if (mode === 'guided') setStatus(`${viewers.join(', ')} can point and draw`);
    else showViewers();
  });
  created.on('session_reconnecting', () => setStatus('Connection lost, reconnecting…'));
  created.on('session_ended', () => finished('Sharing ended. Thanks for visiting!'));
  created.on('session_error', ({ code, errorMsg }) => setStatus(`${errorMsg} (error ${code})`));
}

const SETTINGS = {
  // Everything typed is masked by default ('all_input'). Here only what the selectors match is,
  // so the agent sees the name being typed; password and card fields are always masked.
  piiMask: { maskType: 'custom_input', maskCssSelectors: '#email' },
  // The session follows the customer into the shop's other tabs: each tab that loads this page
  // finds it recoverable and joins below, and agents follow the tab in front.
  multiTabSessionPersistence: { enable: true },
  // Agents may ask to guide or control the page; the customer allows each step in the SDK's
  // prompt, and in `controlled` mode each action. No command may press "Place order".
  remoteAssist: { enable: true, denySelectors: ['#place-order'] },
};

// A reload, another page of the shop, or another tab rejoins the session: same PIN, and an agent
// the customer already allowed keeps seeing the page without a new question.
// Opened from an agent's invitation link (`?sightline_invite=…`): the SDK is redeeming it already,
// and the agent waiting in the session is about to ask to see the page. If the link cannot be
// used, the SDK says why in its own notice, and the shop goes back to "Get help".
function followInvite(created) {
  session = created;
  window.sightlineSession = created;
  getHelp.disabled = true;
  $('#sightline-panel').hidden = false;
  setStatus('Connecting you to your support agent…');
  wire(created);
  endSharing.disabled = false;
  created.on('session_error', ({ errorMsg }) => {
    if (created.getSessionInfo().sessionStatus === 'session_not_started') finished(errorMsg);
  });
}

window.Sightline.init(SETTINGS, async ({ success, session: created }) => {
  if (success && created.getSessionInfo().sessionStatus === 'session_starting' && !session) {
    followInvite(created);
    return;
  }
  if (!success || created.getSessionInfo().sessionStatus !== 'session_recoverable') return;
  if (session) return; // "Get help" was pressed first.
  session = created;
  window.sightlineSession = created;
  getHelp.disabled = true;
  $('#sightline-panel').hidden = false;
  setStatus('Reconnecting…');
  wire(created);
  endSharing.disabled = false;
  const outcome = await created.join();
  if (!outcome.success) finished();
});

getHelp.addEventListener('click', async () => {
  getHelp.disabled = true;
  $('#sightline-panel').hidden = false;
  $('#sightline-pin').textContent = '';
  setStatus('Connecting…');
  let sdkToken;
  try {
    sdkToken = await fetchCustomerToken();
  } catch (error) {
    finished(`Could not get help right now: ${error.message}`);
    return;
  }
  window.Sightline.init(SETTINGS, async ({ success, session: created, error }) => {
    if (!success) {
      finished(`Co-browsing is not available: ${error.errorMsg}`);
      return;
    }
    session = created;
    window.sightlineSession = created; // handy in the browser console
    wire(created);
    endSharing.disabled = false;
    const outcome = await created.start({ sdkToken });
    // On failure `session_error` already shows why; let the customer try again.
    if (!outcome.success) finished();
  });
});

endSharing.addEventListener('click', () => session?.end());

renderCart();
