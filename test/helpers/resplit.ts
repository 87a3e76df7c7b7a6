/**
 * Written apart from src/thb-collect/signing.ts, on the sign string itself: whether the fields of a THB
 * message could be a merge of other signed fields, i.e. whether one more cut at an `&` inside a value
 * gives a sorted list of distinct, non-empty, signable names with the very same sign string.
 */
export function couldBeMerged(params: Record<string, unknown>): boolean {
  const pairs = Object.entries(params)
    .filter(([k, v]) => k !== 'sign' && k !== 'sign_type' && v !== '' && v !== null && v !== undefined)
    .map(([k, v]): [string, string] => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (pairs.some(([k]) => k === '' || k.includes('&') || k.includes('='))) return true;
  // Where each field starts in the joined string, and the `&` positions that are real separators.
  const text = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  const starts: number[] = [];
  let at = 0;
  for (const [k, v] of pairs) {
    starts.push(at);
    at += k.length + 1 + v.length + 1;
  }
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '&' || starts.includes(i + 1)) continue;
    const eq = text.indexOf('=', i + 1);
    const amp = text.indexOf('&', i + 1);
    if (eq <= i + 1 || (amp !== -1 && amp < eq)) continue;
    const name = text.slice(i + 1, eq);
    let owner = 0;
    while (owner + 1 < starts.length && (starts[owner + 1] as number) <= i) owner++;
    const before = pairs[owner]?.[0] as string;
    const after = pairs[owner + 1]?.[0];
    if (name === 'sign' || name === 'sign_type') continue;
    if (name > before && (after === undefined || name < after)) return true;
  }
  return false;
}
