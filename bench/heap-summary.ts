import { readFileSync } from 'node:fs';

/** Bytes and objects per constructor in a V8 heap snapshot (what `--heapsnapshot-signal` writes). */
function summarizeHeap(file: string): Map<string, { bytes: number; count: number }> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snapshot.snapshot.meta.node_types[0];
  const totals = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const name = type === 'object' || type === 'closure' ? snapshot.strings[snapshot.nodes[i + nameAt]!]! : `(${type})`;
    const key = `${name}`.slice(0, 80);
    const entry = totals.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += snapshot.nodes[i + sizeAt]!;
    entry.count += 1;
    totals.set(key, entry);
  }
  return totals;
}

/** The constructors that grew most between two snapshots, in bytes. */
export function heapGrowth(before: string, after: string, top = 15): string[] {
  const a = summarizeHeap(before);
  const b = summarizeHeap(after);
  const total = (m: Map<string, { bytes: number }>) => [...m.values()].reduce((s, e) => s + e.bytes, 0);
  const rows = [...b.entries()]
    .map(([name, e]) => ({
      name,
      bytes: e.bytes - (a.get(name)?.bytes ?? 0),
      count: e.count - (a.get(name)?.count ?? 0),
    }))
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top);
  return [
    `tas : ${(total(a) / 1048576).toFixed(1)} Mo → ${(total(b) / 1048576).toFixed(1)} Mo`,
    ...rows.map(
      (r) =>
        `  ${r.name.padEnd(40)} ${(r.bytes / 1024).toFixed(0).padStart(8)} Ko  ${String(r.count).padStart(8)} objets`,
    ),
  ];
}
