import { Resvg } from '@resvg/resvg-js';
import type { ScenarioResult } from '../support/results.js';

const WIDTH = 1000;
const ROW = 26;
const LEFT = 400;
const TOP = 60;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Requests per second of every scenario as horizontal bars (baselines grey, the service blue),
 * with the hit ratio where one was measured, rendered to PNG.
 */
export function renderChart(scenarios: ScenarioResult[], title: string): Buffer {
  const height = TOP + scenarios.length * ROW + 40;
  const max = Math.max(...scenarios.map((scenario) => scenario.load.rps));
  const scale = (WIDTH - LEFT - 140) / max;
  const rows = scenarios.map((scenario, index) => {
    const y = TOP + index * ROW;
    const baseline = /^(node:http|bare Fastify|stock)/.test(scenario.name);
    const width = Math.max(1, scenario.load.rps * scale);
    const hitRatio = scenario.notes?.hit_ratio;
    const label = `${scenario.load.rps.toLocaleString('en-US')} rps${hitRatio === undefined ? '' : `, hit ratio ${hitRatio}`}`;
    return [
      `<text x="${LEFT - 8}" y="${y + 17}" text-anchor="end" font-size="13">${escape(scenario.name)}</text>`,
      `<rect x="${LEFT}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}" fill="${baseline ? '#9e9e9e' : '#1f77b4'}"/>`,
      `<text x="${LEFT + width + 6}" y="${y + 17}" font-size="12">${escape(label)}</text>`,
    ].join('');
  });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="20" y="30" font-size="18" font-weight="bold">${escape(title)}</text>`,
    ...rows,
    `</svg>`,
  ].join('\n');
  return new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng();
}
