// npm run bench:match — the matching of documents that arrive without naming their expense
// (lib/receipts/match.ts), on the labelled set test/fixtures/match-pairs.json (made by
// scripts/make-match-fixtures.ts). Targets (issue 28): automatic matches ≥ 99 % precise; ≥ 80 % of
// the documents that belong to an expense matched or correctly suggested; a document that belongs
// to none never attached.
import { decideAll, loadMatchFixture } from '../test/match-set';

function main() {
  const fixture = loadMatchFixture();
  const started = performance.now();
  const decided = decideAll(fixture);
  const elapsed = performance.now() - started;
  const belonging = decided.filter((d) => d.document.expected !== null);
  const auto = decided.filter((d) => d.result.kind === 'auto');
  const autoRight = auto.filter((d) => d.result.kind === 'auto' && d.result.expenseId === d.document.expected);
  const suggestedRight = belonging.filter(
    (d) => d.result.kind === 'suggestion' && d.result.expenseId === d.document.expected,
  );
  const strayAttached = decided.filter((d) => d.document.expected === null && d.result.kind === 'auto');
  const covered = autoRight.length + suggestedRight.length;
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(of, 1)).toFixed(1)} %`;
  console.log(
    `${fixture.documents.length} documents (${belonging.length} belong to an expense), ${fixture.clients.reduce((n, c) => n + c.expenses.length, 0)} expenses`,
  );
  console.log(
    `automatic: ${auto.length}, right ${autoRight.length}: precision ${pct(autoRight.length, auto.length)} (target ≥ 99 %)`,
  );
  console.log(
    `matched or rightly suggested: ${covered} / ${belonging.length}: ${pct(covered, belonging.length)} (target ≥ 80 %)`,
  );
  console.log(`documents of no expense attached: ${strayAttached.length} (target 0)`);
  const notes = [...new Set(fixture.documents.map((d) => d.note))];
  for (const note of notes) {
    const of = decided.filter((d) => d.document.note === note);
    const right = of.filter(
      (d) => d.result.kind !== 'none' && 'expenseId' in d.result && d.result.expenseId === d.document.expected,
    );
    const autos = of.filter((d) => d.result.kind === 'auto').length;
    console.log(
      `  ${note.padEnd(20)} ${String(of.length).padStart(3)} documents, auto ${String(autos).padStart(3)}, right (auto or suggested) ${right.length}`,
    );
  }
  console.log(`${(elapsed / fixture.documents.length).toFixed(3)} ms per document`);
  const ok = auto.length === 0 || autoRight.length / auto.length >= 0.99;
  if (!ok || covered / belonging.length < 0.8 || strayAttached.length > 0) process.exitCode = 1;
}

main();
