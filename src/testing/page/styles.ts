/**
 * The stylesheet both pages share, inlined in a `<style>` element (no external assets, and its hash goes
 * into the Content-Security-Policy). Classes only: inline `style` attributes would need a weaker policy.
 */
export const PAGE_STYLES = `
:root {
  color-scheme: light dark;
  --bg: #f4f5f7; --panel: #fff; --text: #1d2330; --muted: #687083; --line: #e3e6eb; --soft: #f7f8fa;
  --accent: #1f6feb; --accent-text: #fff; --accent-soft: #e8f0fe;
  --waiting-bg: #fff4d6; --waiting: #8a5a00; --success-bg: #dcf5e4; --success: #13683a;
  --danger-bg: #fde2e1; --danger: #b42318; --muted-bg: #eceef2; --warning-bg: #efe4ff; --warning: #6b3fb8;
  --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1218; --panel: #171b23; --text: #e6e8ee; --muted: #9aa3b5; --line: #2a303c; --soft: #1c212b;
    --accent: #4c8dff; --accent-soft: #1c2a45;
    --waiting-bg: #3a2e10; --waiting: #f2c46b; --success-bg: #12331f; --success: #6fd69a;
    --danger-bg: #3d1715; --danger: #ff8a80; --muted-bg: #262b35; --warning-bg: #2d2142; --warning: #c4a4ff;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans Thai", "Helvetica Neue", Arial, sans-serif; }

.nowrap { white-space: nowrap; }
code, .mono { font-family: var(--mono); font-size: 12.5px; }
a { color: var(--accent); }
h1, h2, h3 { margin: 0; font-weight: 650; }
button { font: inherit; cursor: pointer; border-radius: 6px; padding: 5px 11px; border: 1px solid var(--line);
  background: var(--panel); color: var(--text); }
button:hover:not(:disabled) { border-color: var(--muted); }
button:disabled { opacity: .55; cursor: progress; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); font-weight: 600; }
button.danger { color: var(--danger); }
button.quiet { border-color: transparent; background: transparent; color: var(--muted); }
button .sub { font-size: 12px; opacity: .8; margin-left: 4px; }

.topbar { position: sticky; top: 0; z-index: 2; background: var(--panel); border-bottom: 1px solid var(--line);
  padding: 10px 24px; display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
.topbar h1 { font-size: 17px; }
.topbar .grow { flex: 1; }
.live { display: inline-flex; align-items: center; gap: 6px; color: var(--muted); font-size: 13px; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--success); }
.live.offline .dot { background: var(--danger); }
.live label { display: inline-flex; gap: 4px; align-items: center; cursor: pointer; }

.wrap { max-width: 1280px; margin: 0 auto; padding: 18px 24px 48px; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; margin-bottom: 18px; }
.fact { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; box-shadow: var(--shadow); }
.fact h2 { font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; margin-bottom: 4px; }
.fact dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
.fact dt { color: var(--muted); }
.fact dd { margin: 0; overflow-wrap: anywhere; }
.faults { margin-top: 6px; display: flex; gap: 6px; flex-wrap: wrap; }

.provider { margin-bottom: 26px; }
.provider > header { display: flex; align-items: baseline; gap: 10px; margin-bottom: 10px; }
.provider > header h2 { font-size: 18px; }
.count { color: var(--muted); }
.empty { background: var(--panel); border: 1px dashed var(--line); border-radius: 10px; padding: 18px;
  color: var(--muted); text-align: center; }

.order { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; box-shadow: var(--shadow);
  display: grid; grid-template-columns: 164px 1fr; gap: 18px; padding: 16px; margin-bottom: 12px; }
.order.no-qr { grid-template-columns: 1fr; }
.qr { width: 164px; height: 164px; border: 1px solid var(--line); border-radius: 8px; background: #fff; padding: 4px; }
.qr svg { display: block; width: 100%; height: 100%; }
.qr-caption { font-size: 12px; color: var(--muted); text-align: center; margin-top: 6px; }
.head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.kind { text-transform: capitalize; font-weight: 600; }
.amount { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; margin-left: auto; }
.badge { display: inline-flex; align-items: center; gap: 6px; border-radius: 999px; padding: 2px 10px;
  font-size: 12.5px; font-weight: 600; background: var(--muted-bg); color: var(--muted); white-space: nowrap; }
.badge .raw { font-family: var(--mono); font-weight: 500; opacity: .75; }
.tone-waiting { background: var(--waiting-bg); color: var(--waiting); }
.tone-success { background: var(--success-bg); color: var(--success); }
.tone-danger { background: var(--danger-bg); color: var(--danger); }
.tone-muted { background: var(--muted-bg); color: var(--muted); }
.tone-warning { background: var(--warning-bg); color: var(--warning); }
.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 8px 18px; margin: 12px 0; }
.fields div { min-width: 0; }
.fields dt { font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.fields dd { margin: 1px 0 0; overflow-wrap: anywhere; }
.error-msg { color: var(--danger); }
.actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.actions .link { margin-left: auto; font-size: 13px; }

.deliveries { margin-top: 14px; border-top: 1px solid var(--line); padding-top: 10px; }
.deliveries h3 { font-size: 13px; color: var(--muted); font-weight: 600; margin-bottom: 6px; }
.deliveries .none { color: var(--muted); margin: 0; }
.delivery { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 8px; overflow: hidden; }
.delivery-head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; padding: 6px 10px; background: var(--soft); }
.delivery-head .to { color: var(--muted); font-size: 12.5px; overflow-wrap: anywhere; }
table.attempts { width: 100%; border-collapse: collapse; font-size: 13px; }
table.attempts th { text-align: left; font-weight: 600; color: var(--muted); font-size: 11.5px; text-transform: uppercase;
  letter-spacing: .04em; padding: 4px 10px; }
table.attempts td { padding: 4px 10px; border-top: 1px solid var(--line); vertical-align: top; }
table.attempts td.answer { max-width: 420px; overflow-wrap: anywhere; }
.ack { font-weight: 600; color: var(--success); }
.nack { font-weight: 600; color: var(--danger); }
details.body { padding: 4px 10px 8px; border-top: 1px solid var(--line); }
details.body summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
details.body pre { margin: 6px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; font-family: var(--mono); font-size: 12px;
  background: var(--soft); padding: 8px; border-radius: 6px; }

@media (max-width: 640px) {
  .topbar, .wrap { padding-left: 12px; padding-right: 12px; }
  .order { grid-template-columns: 1fr; }
  .order .qr { margin: 0 auto; }
  .actions .link { margin-left: 0; }
}

.toasts { position: fixed; right: 18px; bottom: 18px; display: flex; flex-direction: column; gap: 8px; z-index: 5; }
.toast { background: var(--text); color: var(--bg); padding: 8px 14px; border-radius: 8px; box-shadow: var(--shadow);
  max-width: 420px; }
.toast.error { background: var(--danger); color: #fff; }

.checkout-page { min-height: 100vh; display: flex; align-items: flex-start; justify-content: center; padding: 32px 16px; }
.checkout { width: 100%; max-width: 400px; background: var(--panel); border-radius: 16px; box-shadow: var(--shadow);
  border: 1px solid var(--line); overflow: hidden; text-align: center; }
.checkout-brand { background: #113566; color: #fff; padding: 14px; font-weight: 700; letter-spacing: .02em; }
.checkout-brand small { display: block; font-weight: 500; opacity: .8; letter-spacing: 0; }
.checkout-body { padding: 20px 24px 24px; }
.checkout-label { color: var(--muted); font-size: 13px; }
.checkout-amount { font-size: 34px; font-weight: 750; font-variant-numeric: tabular-nums; margin: 2px 0 14px; }
.checkout .qr { width: 240px; height: 240px; margin: 0 auto; padding: 8px; }
.checkout .qr.done { opacity: .25; }
.checkout-target { color: var(--muted); font-size: 13px; margin: 10px 0 16px; }
.checkout button.primary { width: 100%; padding: 11px; font-size: 16px; border-radius: 10px; }
.checkout-meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; text-align: left; margin: 18px 0 0;
  font-size: 13px; border-top: 1px solid var(--line); padding-top: 14px; }
.checkout-meta dt { color: var(--muted); }
.checkout-meta dd { margin: 0; overflow-wrap: anywhere; }
.result { font-size: 18px; font-weight: 700; margin: 6px 0 14px; }
.result.tone-success, .result.tone-danger, .result.tone-warning, .result.tone-muted { background: none; }
.message { color: var(--danger); min-height: 1.4em; margin: 8px 0 0; font-size: 13px; }
.sandbox-note { color: var(--muted); font-size: 12px; margin-top: 14px; }
`;
