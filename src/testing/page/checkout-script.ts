/**
 * The checkout page's inline script, as fixed text (its hash is in the page's CSP). "Pay" calls
 * `POST /_sandbox/orders/:ref/pay` (with the control token from the page's `<meta>`) and reloads to show the outcome; meanwhile the page follows the order
 * every 2 s, as a hosted checkout does, so paying, failing or expiring it elsewhere shows here too.
 */
export const CHECKOUT_SCRIPT = `
(() => {
  'use strict';
  const root = document.querySelector('[data-checkout]');
  const ref = root.dataset.orderNo;
  const token = document.querySelector('meta[name="thaipay-sandbox-token"]').content;
  const shown = root.dataset.status;
  const path = '/_sandbox/orders/' + encodeURIComponent(ref);
  const button = document.getElementById('pay');
  const message = document.getElementById('message');

  if (button) {
    button.addEventListener('click', async () => {
      const label = button.textContent;
      button.disabled = true;
      button.textContent = 'Paying…';
      message.textContent = '';
      try {
        const response = await fetch(path + '/pay', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-thaipay-sandbox-token': token },
          body: '{}',
        });
        if (!response.ok) {
          const answer = await response.json().catch(() => ({}));
          throw new Error(answer.error || 'HTTP ' + response.status);
        }
        location.reload();
      } catch (error) {
        message.textContent = error instanceof Error ? error.message : String(error);
        button.disabled = false;
        button.textContent = label;
      }
    });
  }

  setInterval(async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(path, { cache: 'no-store' });
      if (!response.ok) return;
      const { order } = await response.json();
      if (String(order.status) !== shown) location.reload();
    } catch {
      // The sandbox may be restarting; try again on the next tick.
    }
  }, 2000);
})();
`;
