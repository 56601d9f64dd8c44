/** docs/ENERGY-MODEL.md must list every coefficient exactly as the code holds it (catches drift). */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACTION_IDS, DEFAULT_DEVICES, ENERGY_PRESETS, STATIC_PART_NAMES } from '../../emulator/energy/index.js';
import { deviceParameters } from '../../emulator/energy/dense.js';
import { REPO_ROOT } from '../helpers/cli.js';

const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'ENERGY-MODEL.md'), 'utf8');
const cell = (s: string) => s.replace(/\|/g, '\\|');

describe('docs/ENERGY-MODEL.md', () => {
  it('lists every preset entry with its stored fJ value and source', () => {
    for (const [name, t] of Object.entries(ENERGY_PRESETS)) {
      const section = doc.slice(doc.indexOf(`### Preset \`${name}\``));
      for (const a of ACTION_IDS) {
        const e = t.actions[a]!;
        expect(section, `${name} ${a}`).toContain(`| \`${a}\` |`);
        expect(section, `${name} ${a}`).toContain(`| ${e.fj} | ${cell(e.source)} |`);
      }
      for (const p of STATIC_PART_NAMES) expect(section, `${name} static ${p}`).toContain(`| ${p} | ${t.staticPower[p].nw / 1000} µW | ${cell(t.staticPower[p].source)} |`);
    }
  });

  it('lists every device-model parameter with its value and source', () => {
    for (const d of DEFAULT_DEVICES) {
      const section = doc.slice(doc.indexOf(`(\`${d.id}\``));
      for (const p of deviceParameters(d)) expect(section, `${d.id} ${p.name}`).toContain(`| ${p.name} | ${p.value} | ${p.unit} | ${cell(p.source)} |`);
    }
  });
});
