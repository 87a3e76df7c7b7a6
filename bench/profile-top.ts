/**
 * The heaviest functions of a .cpuprofile, in µs per call: `npx tsx bench/profile-top.ts <file> <calls>
 * [rows]`, for a profile of the measured loop alone (`PROFILE_OUT=... bench/profile.ts`). Self time
 * first, then inclusive time (each function counted once per sample, however deep it recurses).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, callsText = '1', rowsText = '40'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> <calls> [rows]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const name = (node: ProfileNode): string =>
  `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;

const selfTime = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const dt = profile.timeDeltas[index] ?? 0;
  total += dt;
  const node = byId.get(id)!;
  selfTime.set(name(node), (selfTime.get(name(node)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = name(byId.get(at)!);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
  }
});
const calls = Number(callsText);
for (const [title, table] of [
  ['self', selfTime],
  ['inclusive', inclusive],
] as const) {
  console.log(`== ${title}, µs per call (all samples: ${(total / calls).toFixed(1)})`);
  const rows = [...table].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsText));
  for (const [key, time] of rows) console.log(`${(time / calls).toFixed(1).padStart(8)}  ${key}`);
}
