const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 1000;
const HEIGHT = 200;
const PADDING = 8;

export interface HitSample {
  hits: number;
  misses: number;
}

/** Hits and misses per refresh as pairs of bars, the newest on the right; a fixed number of samples. */
export class HitChart {
  readonly #samples: HitSample[] = [];
  #previous: HitSample | undefined;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly capacity = 40,
  ) {}

  /** Adds the difference since the last totals (counters only grow; a restart counts as zero). */
  addTotals(totals: HitSample): HitSample | undefined {
    const previous = this.#previous;
    this.#previous = totals;
    if (!previous) return undefined;
    const sample = {
      hits: Math.max(0, totals.hits - previous.hits),
      misses: Math.max(0, totals.misses - previous.misses),
    };
    this.#samples.push(sample);
    if (this.#samples.length > this.capacity) this.#samples.shift();
    this.#draw();
    return sample;
  }

  #draw(): void {
    const top = Math.max(1, ...this.#samples.flatMap((s) => [s.hits, s.misses]));
    const slot = (WIDTH - 2 * PADDING) / this.capacity;
    const barWidth = Math.max(1, slot / 2 - 1);
    const offset = this.capacity - this.#samples.length;
    const bars = this.#samples.flatMap((sample, i) => {
      const x = PADDING + (offset + i) * slot;
      return [bar(x, sample.hits / top, barWidth, 'hits'), bar(x + barWidth, sample.misses / top, barWidth, 'misses')];
    });
    const scale = document.createElementNS(SVG, 'text');
    scale.setAttribute('x', String(PADDING));
    scale.setAttribute('y', String(PADDING + 12));
    scale.setAttribute('class', 'scale');
    scale.textContent = String(top);
    this.svg.replaceChildren(
      line(PADDING, HEIGHT - PADDING, WIDTH - PADDING, HEIGHT - PADDING, 'axis'),
      ...bars,
      scale,
    );
  }
}

/** A bar whose height is `fraction` of the chart's. */
function bar(x: number, fraction: number, width: number, className: string): SVGRectElement {
  const height = fraction * (HEIGHT - 2 * PADDING);
  const node = document.createElementNS(SVG, 'rect');
  const attributes = { x, y: HEIGHT - PADDING - height, width, height };
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value.toFixed(1));
  node.setAttribute('class', className);
  return node;
}

function line(x1: number, y1: number, x2: number, y2: number, className: string): SVGLineElement {
  const node = document.createElementNS(SVG, 'line');
  for (const [name, value] of Object.entries({ x1, y1, x2, y2 })) node.setAttribute(name, String(value));
  node.setAttribute('class', className);
  return node;
}
