/**
 * Errors the library raises for bad *input* (as opposed to internal failures).
 *
 * Every problem names where it is (a file, a field path such as `populations[2].params.du`,
 * a line:column, or a byte offset) and what is wrong with it. Validation collects all problems
 * and throws them together; the CLI prints one line per problem and exits with code 2.
 * Any other exception is an internal failure (exit 1).
 */

/** One problem with the input: where it is and what is wrong. */
export interface Problem {
  /** Where: field path (`projections[0].weights[3][1]`), `line:col`, `byte 1234`, or ''. */
  where: string;
  /** What is wrong and, where it helps, how to fix it. */
  message: string;
}

/** Bad input. `source` is the file (or a label like `<network>`) the problems are in. */
export class InputError extends Error {
  readonly problems: Problem[];
  readonly source: string;
  constructor(source: string, problems: Problem[]) {
    super(formatProblems(source, problems));
    this.name = 'InputError';
    this.source = source;
    this.problems = problems;
  }
  /** One line per problem, `source: where: message`. */
  lines(): string[] {
    return this.problems.map((p) => formatProblem(this.source, p));
  }
}

export function formatProblem(source: string, p: Problem): string {
  const parts = [source, p.where].filter((s) => s !== '');
  return parts.length ? `${parts.join(': ')}: ${p.message}` : p.message;
}

function formatProblems(source: string, problems: Problem[]): string {
  return problems.map((p) => formatProblem(source, p)).join('\n');
}

/** Convenience: throw a single-problem InputError. */
export function inputError(source: string, where: string, message: string): never {
  throw new InputError(source, [{ where, message }]);
}

/** Collects problems during validation; `throwIfAny` raises them all at once. */
export class ProblemList {
  readonly items: Problem[] = [];
  add(where: string, message: string): void {
    this.items.push({ where, message });
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
  throwIfAny(source: string): void {
    if (this.items.length) throw new InputError(source, this.items);
  }
}
