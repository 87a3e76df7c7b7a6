/**
 * HTML built with a tagged template that escapes every interpolated value unless it is marked as
 * markup. Order fields come from merchants (names, order ids, URLs), so escaping is the default and
 * trusting markup is the visible exception.
 */

/** Markup that is inserted as it is: the output of {@link html}, or text marked with {@link trustedHtml}. */
export class SafeHtml {
  readonly markup: string;

  constructor(markup: string) {
    this.markup = markup;
  }

  toString(): string {
    return this.markup;
  }
}

/** What {@link html} accepts between its literal parts. `null`, `undefined` and `false` render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text escaped for element content and for double- or single-quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<script>"x"</script>'); // "&lt;script&gt;&quot;x&quot;&lt;/script&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Build markup: the literal parts are kept, every value is escaped (arrays are joined, nested
 * `html` results are kept as markup).
 *
 * @example
 * ```ts
 * html`<td>${order.merchantOrderId}</td>`; // a `<script>` in the id is shown as text
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0]!;
  values.forEach((value, index) => {
    markup += render(value) + strings[index + 1]!;
  });
  return new SafeHtml(markup);
}

/**
 * Mark markup the sandbox made itself (an SVG from `renderQrSvg`) as safe to insert unescaped. Never
 * pass it anything that came from a request.
 *
 * @example
 * ```ts
 * html`<div>${trustedHtml(renderQrSvg(order.qrCode))}</div>`;
 * ```
 */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
