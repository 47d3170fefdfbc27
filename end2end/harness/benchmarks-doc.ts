import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DOC = path.resolve(__dirname, '..', '..', 'docs', 'BENCHMARKS.md');

/**
 * Rewrites the section of docs/BENCHMARKS.md between `<!-- name -->` and
 * `<!-- /name -->`: each benchmark owns one and leaves the rest alone.
 */
export function recordInBenchmarks(name: string, lines: string[]) {
  const [start, end] = [`<!-- ${name} -->`, `<!-- /${name} -->`];
  const text = readFileSync(DOC, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${DOC} has no ${start} … ${end} section`);
  writeFileSync(DOC, `${text.slice(0, from + start.length)}\n${lines.join('\n')}\n${text.slice(to)}`);
}
