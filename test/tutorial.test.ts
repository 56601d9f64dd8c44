/**
 * docs/TUTORIAL.md is executable. Every command of its ```sh blocks runs here, in order, in one empty
 * temporary folder: `aerie …` through the CLI (compiled under `npm test`, else the TypeScript sources),
 * `node …` with this Node. Each must exit 0; every ```text block after an ```sh block is an excerpt
 * of what that block's commands print (stdout and stderr), each line of which (whitespace collapsed,
 * `…` lines skipped) must be a whole line of the output, and each command must print at least one of
 * them. Files the commands write (-o, --out, --trace, --report, --probe-out) must exist afterwards
 * and HTML/JSON ones must be well formed. A ```yaml block preceded by `<!-- tutorial-file: NAME -->`
 * is written to NAME in that folder when the reading reaches it.
 *
 * `../shared/…` arguments name the sample recordings beside the repository (SHARED_DIR); a step that
 * reads a missing one is skipped with the reason in its name, and so is every later step that uses
 * a file a skipped step would have written. The install block (`npm …`) is not run (it would rebuild
 * the tree this suite runs from); its commands are checked against package.json instead.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED_DIR, runCli, type CliResult } from './helpers/cli.js';

const TUTORIAL = path.join(REPO_ROOT, 'docs', 'TUTORIAL.md');
const SHARED_PREFIX = '../shared/';
/** Options whose value is a file the command writes. */
const OUTPUT_FLAGS = new Set(['-o', '--out', '--trace', '--report', '--probe-out']);
/** Shell syntax the runner does not interpret; the tutorial must not rely on it. */
const UNSUPPORTED = new Set(['|', '&', ';', '<', '>', '$', '`', '(', ')', '*', '?', '~']);

interface Fence {
  lang: string;
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** from a `<!-- tutorial-file: NAME -->` line right before the fence */
  file?: string;
}

/** Fenced blocks of a markdown text, in order. */
function fences(md: string): Fence[] {
  const lines = md.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`TUTORIAL.md:${start + 1}: fence never closed`);
    const marker = start > 0 ? /^<!--\s*tutorial-file:\s*(\S+)\s*-->$/.exec(lines[start - 1].trim()) : null;
    out.push({ lang: open[1], body: body.join('\n'), line: start + 1, file: marker?.[1] });
  }
  return out;
}

/**
 * Split one shell command line into words: '…' literal, "…" with \" \\ \$ \` escapes, \x outside
 * quotes, `#` comments. Operators and expansions (pipes, redirections, $VAR, globs) are refused.
 */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && '"\\$`'.includes(line[j + 1] ?? '')) cur += line[++j];
        else if (line[j] === '$' || line[j] === '`') throw new Error(`expansion inside "…" is not supported: ${line}`);
        else cur += line[j];
      }
      if (j >= line.length) throw new Error(`unclosed " in: ${line}`);
      i = j;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error(`trailing backslash in: ${line}`);
      cur += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else if (UNSUPPORTED.has(c)) {
      throw new Error(`shell syntax '${c}' is not supported by the tutorial runner: ${line}`);
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** The commands of an ```sh block: one per line, `\` at the end of a line continues it. */
function shCommands(body: string): string[][] {
  const joined = body.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => shellWords(l))
    .filter((w) => w.length > 0);
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
const ELISION = new Set(['…', '...']);

interface Step {
  kind: 'install' | 'run' | 'file';
  line: number;
  commands: string[][];
  expected: string[];
  file?: { name: string; body: string };
  /** why this step is skipped, or undefined */
  skip?: string;
}

/** The tutorial as an ordered list of steps, with skips decided from what SHARED_DIR holds. */
function readSteps(md: string): Step[] {
  const steps: Step[] = [];
  let lastRun: Step | undefined;
  for (const f of fences(md)) {
    if (f.file !== undefined) {
      steps.push({ kind: 'file', line: f.line, commands: [], expected: [], file: { name: f.file, body: f.body + '\n' } });
    } else if (f.lang === 'sh') {
      const commands = shCommands(f.body);
      const kind = commands.every((c) => c[0] === 'npm') ? 'install' : 'run';
      const step: Step = { kind, line: f.line, commands, expected: [] };
      steps.push(step);
      lastRun = kind === 'run' ? step : undefined;
    } else if (f.lang === 'text') {
      if (!lastRun) throw new Error(`TUTORIAL.md:${f.line}: a text block (command output) with no sh block of aerie commands before it`);
      for (const l of f.body.split('\n')) if (norm(l) !== '' && !ELISION.has(norm(l))) lastRun.expected.push(norm(l));
    }
  }
  // Skips: a missing sample recording, then every file a skipped step names, transitively.
  const unavailable = new Set<string>();
  for (const s of steps) {
    if (s.kind !== 'run') continue;
    const args = s.commands.flatMap((c) => c.slice(1));
    const missing = args.find((a) => a.startsWith(SHARED_PREFIX) && !fs.existsSync(path.join(SHARED_DIR, a.slice(SHARED_PREFIX.length))));
    const tainted = args.find((a) => unavailable.has(a));
    if (missing !== undefined) s.skip = `${path.join(SHARED_DIR, missing.slice(SHARED_PREFIX.length))} is absent`;
    else if (tainted !== undefined) s.skip = `${tainted} comes from a skipped step`;
    if (s.skip !== undefined) for (const a of args) if (!a.startsWith('-') && /\.\w+$/.test(a)) unavailable.add(a);
  }
  return steps;
}

const MD = fs.readFileSync(TUTORIAL, 'utf8');
const STEPS = readSteps(MD);
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-tutorial-'));
afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

/**
 * runCli in its compiled mode works from any folder; its tsx mode resolves `--import tsx` from the
 * working folder, which a temporary folder outside the repository cannot do, so the tsx loader is
 * given here by its absolute URL.
 */
const TSX_LOADER = pathToFileURL(createRequire(path.join(REPO_ROOT, 'package.json')).resolve('tsx')).href;
function aerie(args: string[]): CliResult {
  if (process.env.AERIE_TEST_DIST === '1') return runCli(args, { cwd: WORK });
  return spawnResult(['--import', TSX_LOADER, path.join(REPO_ROOT, 'tools', 'cli.ts'), ...args]);
}
function spawnResult(args: string[]): CliResult {
  const r = spawnSync(process.execPath, args, { cwd: WORK, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function runCommand(words: string[]): CliResult {
  const args = words.slice(1).map((a) => (a.startsWith(SHARED_PREFIX) ? path.join(SHARED_DIR, a.slice(SHARED_PREFIX.length)) : a));
  if (words[0] === 'aerie') return aerie(args);
  if (words[0] === 'node') return spawnResult(args);
  throw new Error(`the tutorial runner runs aerie and node commands, not: ${words.join(' ')}`);
}

function checkOutputFiles(words: string[]): void {
  for (let i = 1; i < words.length - 1; i++) {
    if (!OUTPUT_FLAGS.has(words[i])) continue;
    const file = path.join(WORK, words[i + 1]);
    expect(fs.existsSync(file), `${words.join(' ')}: ${words[i + 1]} was not written`).toBe(true);
    const data = fs.readFileSync(file);
    expect(data.length, `${words[i + 1]} is empty`).toBeGreaterThan(0);
    if (file.endsWith('.html')) {
      const text = data.toString('utf8');
      expect(text.startsWith('<!DOCTYPE html>'), `${words[i + 1]} is not an HTML document`).toBe(true);
      expect(text.trimEnd().endsWith('</html>'), `${words[i + 1]} is cut short`).toBe(true);
    }
    if (file.endsWith('.json')) expect(() => JSON.parse(data.toString('utf8')), `${words[i + 1]} is not JSON`).not.toThrow();
  }
}

describe('docs/TUTORIAL.md', () => {
  it('walks through every part of the workflow, one checked output per command block', () => {
    const runs = STEPS.filter((s) => s.kind === 'run');
    const all = runs.flatMap((s) => s.commands.map((c) => c.join(' ')));
    // What the tutorial promises a newcomer; a block deleted by mistake fails here.
    for (const re of [/^aerie run$/, /^aerie run .*--report \S+\.html/, /--probe \S+ .*--probe-out/, /^aerie model /, /^aerie import .*sample_nmnist\.bin/, /^aerie import .*\.aedat4/, /^aerie run \S+\.yaml --input \S+ .*--trace \S+/, /^aerie replay \S+ --arch /, /^aerie report \S+/, /^aerie run xbar\.yaml/, /--threads 2/]) {
      expect(all.some((c) => re.test(c)), `no tutorial command matches ${re}`).toBe(true);
    }
    for (const s of runs) expect(s.expected.length, `TUTORIAL.md:${s.line}: sh block without a text block of its output`).toBeGreaterThan(0);
    expect(STEPS.filter((s) => s.kind === 'file').map((s) => s.file?.name)).toEqual(['digit-net.yaml', 'dvs-net.yaml', 'small-cores.yaml', 'xbar.yaml', 'wide.yaml']);
  });

  it('install commands name what package.json provides', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    const install = STEPS.filter((s) => s.kind === 'install').flatMap((s) => s.commands);
    expect(install.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(REPO_ROOT, 'package-lock.json')), 'npm ci needs package-lock.json').toBe(true);
    for (const c of install) {
      const cmd = c.join(' ');
      if (cmd === 'npm ci') continue;
      if (cmd === 'npm link') {
        expect(pkg.bin.aerie, 'npm link installs package.json bin.aerie').toBe('dist/tools/cli.js');
        continue;
      }
      const script = /^npm run (\S+)$/.exec(cmd);
      expect(script, `install command not understood: ${cmd}`).not.toBeNull();
      expect(pkg.scripts[script![1]], `package.json has no script ${script![1]}`).toBeDefined();
    }
  });

  for (const step of STEPS) {
    if (step.kind === 'install') continue;
    if (step.kind === 'file') {
      it(`writes ${step.file!.name} (TUTORIAL.md:${step.line})`, () => {
        fs.writeFileSync(path.join(WORK, step.file!.name), step.file!.body);
      });
      continue;
    }
    const title = `${step.commands.map((c) => c.join(' ')).join(' && ').slice(0, 120)} (TUTORIAL.md:${step.line})`;
    it.skipIf(step.skip !== undefined)(step.skip !== undefined ? `${title} — skipped: ${step.skip}` : title, () => {
      const outputs: string[][] = [];
      for (const words of step.commands) {
        const r = runCommand(words);
        expect(r.code, `${words.join(' ')} exited ${r.code}\n${r.stderr}`).toBe(0);
        checkOutputFiles(words);
        outputs.push((r.stdout + '\n' + r.stderr).split('\n').map(norm));
      }
      const matchedBy = step.commands.map(() => 0);
      for (const want of step.expected) {
        let found = false;
        outputs.forEach((lines, k) => {
          if (lines.includes(want)) {
            matchedBy[k]++;
            found = true;
          }
        });
        expect(found, `TUTORIAL.md:${step.line}: no command printed the line\n  ${want}\noutput:\n${outputs.map((o) => o.join('\n')).join('\n---\n')}`).toBe(true);
      }
      step.commands.forEach((c, k) => expect(matchedBy[k], `${c.join(' ')}: none of the shown output lines is its own`).toBeGreaterThan(0));
    });
  }
});

describe('tutorial runner', () => {
  it('splits shell words and refuses syntax it does not run', () => {
    expect(shellWords(`node -e 'a("x") $y' "b \\"c\\"" d\\ e # note`)).toEqual(['node', '-e', 'a("x") $y', 'b "c"', 'd e']);
    expect(shCommands('aerie run \\\n  --steps 5\n\n# comment\naerie info')).toEqual([['aerie', 'run', '--steps', '5'], ['aerie', 'info']]);
    for (const bad of ['aerie run | head', 'aerie run > out.txt', 'aerie run $NET', 'aerie run "$NET"', "aerie run 'x", 'ls *.trace']) expect(() => shellWords(bad)).toThrow();
  });

  it('reads fences, file markers and output blocks', () => {
    const f = fences('x\n<!-- tutorial-file: a.yaml -->\n```yaml\nk: 1\n```\n```sh\naerie info\n```\n');
    expect(f).toEqual([
      { lang: 'yaml', body: 'k: 1', line: 3, file: 'a.yaml' },
      { lang: 'sh', body: 'aerie info', line: 6, file: undefined },
    ]);
    expect(() => fences('```sh\naerie info\n')).toThrow(/never closed/);
    expect(() => readSteps('```text\nout\n```\n')).toThrow(/no sh block/);
    const steps = readSteps('```sh\naerie import ../shared/no-such-dir/x.bin -o x.trace\n```\n```text\nwritten\n```\n```sh\naerie run n.yaml --input x.trace\n```\n```text\nok\n```\n```sh\naerie info\n```\n```text\nok\n```\n');
    expect(steps.map((s) => s.skip)).toEqual([`${path.join(SHARED_DIR, 'no-such-dir/x.bin')} is absent`, 'x.trace comes from a skipped step', undefined]);
    expect(steps[0].expected).toEqual(['written']);
  });
});
