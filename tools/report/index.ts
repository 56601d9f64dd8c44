/**
 * Report renderers: terminal table, JSON (schema aerie-report/1), CSV (one row per
 * component/action), and a self-contained HTML page with SVG charts. Each takes the report
 * model built by emulator/energy `buildReport` and returns text.
 */
import type { Report } from '../../emulator/energy/index.js';
import { UsageError, writeOutputFile } from '../cli-support.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderTerminal } from './terminal.js';

export { renderCsv, CSV_COLUMNS, csvField } from './csv.js';
export { renderHtml } from './html.js';
export { renderJson } from './json.js';
export { renderTerminal, type TerminalOptions } from './terminal.js';

export type ReportFormat = 'text' | 'json' | 'csv' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'csv', 'html'];

export function renderReport(r: Report, format: ReportFormat): string {
  switch (format) {
    case 'text':
      return renderTerminal(r);
    case 'json':
      return renderJson(r);
    case 'csv':
      return renderCsv(r);
    case 'html':
      return renderHtml(r);
  }
}

/** The format a `--report FILE` implies by its extension (.json, .csv, .html/.htm, .txt). */
export function reportFormatForFile(file: string): ReportFormat {
  const m = /\.([A-Za-z]+)$/.exec(file);
  const ext = m ? m[1].toLowerCase() : '';
  if (ext === 'json') return 'json';
  if (ext === 'csv') return 'csv';
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'txt') return 'text';
  throw new UsageError(`${file}: cannot tell the report format from the extension; use .json, .csv, .html or .txt`);
}

/**
 * Render a report in the format its file name implies and write it safely (refuses to overwrite
 * without `force`; tmp + rename). For `aerie run … --report FILE`.
 */
export function writeReportFile(r: Report, file: string, force: boolean): ReportFormat {
  const format = reportFormatForFile(file);
  writeOutputFile(file, renderReport(r, format), force);
  return format;
}
