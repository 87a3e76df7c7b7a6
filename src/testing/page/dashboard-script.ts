/**
 * The dashboard's inline script, as fixed text (its hash is in the page's CSP; it is never built from
 * data). Plain browser JavaScript, no build step. It
 * - runs the order buttons: `POST /_sandbox/orders/:ref/<action>` with `{ amount }` when the button has one,
 *   sending the control token the page carries in `<meta name="thaipay-sandbox-token">`;
 * - refreshes after each action, every 2 s while "Auto-refresh" is on and the tab is visible, and on "Refresh":
 *   it fetches `/` and swaps in its `#orders` when that changed (the QR codes stay server-rendered), then
 *   fills each order's delivery log from `/_sandbox/deliveries` and the credentials from `/_sandbox/state`;
 * - writes data with `textContent` only, so no value from an order is ever parsed as HTML.
 */
export const DASHBOARD_SCRIPT = `
(() => {
  'use strict';
  const POLL_MS = 2000;
  const TOKEN = document.querySelector('meta[name="thaipay-sandbox-token"]').content;
  const ordersNow = () => document.getElementById('orders');
  let serverOrders = ordersNow().innerHTML;
  let lastDeliveries = '';
  let running = null;
  let again = false;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function thaiTime(iso) {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return String(iso);
    return new Date(ms + 7 * 3600 * 1000).toISOString().slice(11, 19);
  }

  function toast(text, isError) {
    const box = el('div', isError ? 'toast error' : 'toast', text);
    document.getElementById('toasts').append(box);
    setTimeout(() => box.remove(), isError ? 6000 : 2500);
  }

  async function getJson(path) {
    const response = await fetch(path, { cache: 'no-store' });
    if (!response.ok) throw new Error(path + ' answered HTTP ' + response.status);
    return response.json();
  }

  const STATE_TONES = { acknowledged: 'tone-success', pending: 'tone-waiting', 'gave-up': 'tone-danger', cancelled: 'tone-muted' };

  function attemptRow(attempt) {
    const row = el('tr');
    row.dataset.testid = 'delivery-attempt';
    row.dataset.httpStatus = attempt.statusCode === null ? '' : String(attempt.statusCode);
    row.dataset.acknowledged = String(attempt.acknowledged);
    row.append(el('td', 'mono', '#' + attempt.attempt));
    row.append(el('td', 'mono', thaiTime(attempt.time)));
    const status = el('td', 'mono', attempt.statusCode === null ? 'no answer' : 'HTTP ' + attempt.statusCode);
    status.dataset.testid = 'attempt-http-status';
    row.append(status);
    const answer = el('td', 'answer');
    if (attempt.error) answer.append(el('span', 'error-msg', attempt.error));
    else answer.append(el('code', '', attempt.responseExcerpt === '' ? '(empty body)' : attempt.responseExcerpt));
    row.append(answer);
    const ack = el('td', attempt.acknowledged ? 'ack' : 'nack', attempt.acknowledged ? '✓ acknowledged' : '✗ not acknowledged');
    ack.dataset.testid = 'attempt-ack';
    row.append(ack);
    return row;
  }

  function deliveryBox(delivery, openIds) {
    const box = el('div', 'delivery');
    box.dataset.testid = 'delivery';
    box.dataset.state = delivery.state;
    const head = el('div', 'delivery-head');
    const state = el('span', 'badge ' + (STATE_TONES[delivery.state] || 'tone-muted'), delivery.state);
    state.dataset.testid = 'delivery-state';
    head.append(state, el('span', '', 'reports status ' + delivery.status), el('span', 'badge', delivery.reason));
    head.append(el('span', 'to', '→ POST ' + delivery.url));
    box.append(head);
    if (delivery.attempts.length > 0) {
      const table = el('table', 'attempts');
      const header = el('tr');
      for (const name of ['Try', 'Time (TH)', 'HTTP', 'Merchant answered', 'Acknowledged']) header.append(el('th', '', name));
      table.append(el('thead'), el('tbody'));
      table.tHead.append(header);
      for (const attempt of delivery.attempts) table.tBodies[0].append(attemptRow(attempt));
      box.append(table);
    } else {
      box.append(el('p', 'none', 'Sending…'));
    }
    const details = el('details', 'body');
    details.dataset.deliveryId = delivery.id;
    details.open = openIds.has(delivery.id);
    details.append(el('summary', '', 'Body sent (' + delivery.contentType + ')'), el('pre', '', delivery.body));
    box.append(details);
    return box;
  }

  function renderDeliveries(deliveries) {
    const byOrder = new Map();
    for (const delivery of deliveries) {
      if (!byOrder.has(delivery.orderNo)) byOrder.set(delivery.orderNo, []);
      byOrder.get(delivery.orderNo).push(delivery);
    }
    const openIds = new Set();
    for (const details of document.querySelectorAll('details[data-delivery-id]')) {
      if (details.open) openIds.add(details.dataset.deliveryId);
    }
    for (const slot of document.querySelectorAll('[data-delivery-log]')) {
      const mine = byOrder.get(slot.dataset.deliveryLog) || [];
      if (mine.length === 0 && slot.hasAttribute('data-no-notify')) continue;
      const title = slot.querySelector('h3');
      slot.replaceChildren(title);
      if (mine.length === 0) slot.append(el('p', 'none', 'Nothing sent yet: messages go out when the status changes.'));
      for (const delivery of mine.slice().reverse()) slot.append(deliveryBox(delivery, openIds));
    }
  }

  function setFact(key, value) {
    const node = document.querySelector('[data-fact="' + key + '"]');
    if (node) node.textContent = value;
  }

  function renderState(state) {
    setFact('jwt-base-url', state.jwtGateway.baseUrl);
    setFact('jwt-merchant-id', state.jwtGateway.merchantId);
    setFact('jwt-balance', '฿' + Number(state.jwtGateway.balance).toLocaleString('en-US', { minimumFractionDigits: 2 }));
    setFact('thb-base-url', state.thbCollect.baseUrl);
    setFact('thb-app-id', state.thbCollect.appId);
    const faults = document.querySelector('[data-fact="faults"]');
    faults.replaceChildren();
    if (state.faults.length === 0) faults.append(el('span', 'count', 'none'));
    for (const fault of state.faults) {
      const times = fault.remaining === null || fault.remaining > 1e9 ? '∞' : fault.remaining;
      faults.append(el('span', 'badge tone-warning', fault.route + ' · ' + fault.fault + ' ×' + times));
    }
  }

  async function refreshOnce() {
    const live = document.getElementById('live');
    try {
      const [page, deliveries, state] = await Promise.all([
        fetch('/', { cache: 'no-store' }).then((response) => response.text()),
        getJson('/_sandbox/deliveries'),
        getJson('/_sandbox/state'),
      ]);
      const fresh = new DOMParser().parseFromString(page, 'text/html').getElementById('orders');
      let swapped = false;
      if (fresh && fresh.innerHTML !== serverOrders) {
        serverOrders = fresh.innerHTML;
        ordersNow().replaceWith(document.adoptNode(fresh));
        swapped = true;
      }
      const text = JSON.stringify(deliveries.deliveries);
      if (swapped || text !== lastDeliveries) {
        lastDeliveries = text;
        renderDeliveries(deliveries.deliveries);
      }
      renderState(state);
      live.classList.remove('offline');
      document.getElementById('updated').textContent = 'Updated ' + new Date().toLocaleTimeString('en-GB');
    } catch (error) {
      live.classList.add('offline');
      document.getElementById('updated').textContent = 'Sandbox unreachable';
    }
  }

  function refresh() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await refreshOnce();
      } while (again);
      running = null;
    })();
    return running;
  }

  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (!button) return;
    const card = button.closest('[data-testid="order"]');
    const buttons = card ? card.querySelectorAll('button') : [button];
    for (const each of buttons) each.disabled = true;
    const { action, ref, amount } = button.dataset;
    try {
      const response = await fetch('/_sandbox/orders/' + encodeURIComponent(ref) + '/' + action, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-thaipay-sandbox-token': TOKEN },
        body: JSON.stringify(amount ? { amount } : {}),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) toast(answer.error || 'HTTP ' + response.status, true);
      else toast((button.firstChild ? button.firstChild.textContent : action) + ' · ' + ref);
    } catch (error) {
      toast(String(error), true);
    }
    await refresh();
    // The callback goes out just after the change; look again shortly to show its answer.
    setTimeout(refresh, 300);
    for (const each of buttons) if (each.isConnected) each.disabled = false;
  });

  document.getElementById('refresh').addEventListener('click', () => refresh());

  (function poll() {
    setTimeout(async () => {
      if (document.getElementById('auto').checked && !document.hidden) await refresh();
      poll();
    }, POLL_MS);
  })();

  refresh();
})();
`;
