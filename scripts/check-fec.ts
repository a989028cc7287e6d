// npm run fec:check -- <file>…: checks FEC files with the in-repo validator
// (scripts/fec-validate.ts): the file name, then every rule it knows. Exit code 1 on the
// first file with a problem, after listing them all.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { validateFec, validateFecName } from './fec-validate';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('Usage : npm run fec:check -- <SIREN>FEC<AAAAMMJJ>.txt …');
  process.exit(2);
}
let failed = false;
for (const file of files) {
  const problems = [...validateFecName(basename(file)), ...validateFec(readFileSync(file))];
  if (problems.length === 0) {
    console.log(`${file} : conforme.`);
    continue;
  }
  failed = true;
  console.log(`${file} : ${problems.length} problème(s)`);
  for (const p of problems) console.log(`  ligne ${p.line} : ${p.message}`);
}
process.exit(failed ? 1 : 0);
