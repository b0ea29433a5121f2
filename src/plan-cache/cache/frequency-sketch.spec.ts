import { BUSY_FREQUENCY, FrequencySketch, MAX_FREQUENCY } from './frequency-sketch.js';

describe('FrequencySketch', () => {
  it('counts each key apart, never under its true count', () => {
    const sketch = new FrequencySketch(100);
    for (let i = 0; i < 5; i++) sketch.record('plans:type_hotspot');
    sketch.record('plans:user_7');
    expect(sketch.frequency('plans:type_hotspot')).toBeGreaterThanOrEqual(5);
    expect(sketch.frequency('plans:user_7')).toBeGreaterThanOrEqual(1);
    expect(sketch.frequency('plans:user_8')).toBe(0);
  });

  it('saturates at MAX_FREQUENCY', () => {
    const sketch = new FrequencySketch(100);
    for (let i = 0; i < 40; i++) sketch.record('busy');
    expect(sketch.frequency('busy')).toBe(MAX_FREQUENCY);
    sketch.record('warmed', MAX_FREQUENCY);
    expect(sketch.frequency('warmed')).toBe(MAX_FREQUENCY);
  });

  it('keeps keys asked for once below a warmed key, even after many of them', () => {
    const capacity = 16;
    const sketch = new FrequencySketch(capacity);
    sketch.record('warmed', BUSY_FREQUENCY);
    const oneOffs = Array.from({ length: 10 * capacity - 20 }, (_, i) => `plans:user_${1_000_000 + i}`);
    for (const key of oneOffs) sketch.record(key);
    const highest = Math.max(...oneOffs.map((key) => sketch.frequency(key)));
    expect(highest).toBeLessThan(sketch.frequency('warmed'));
  });

  it('halves every count once per sample (10 accesses per entry), so that old popularity fades', () => {
    const capacity = 16;
    const sketch = new FrequencySketch(capacity);
    for (let i = 0; i < 12; i++) sketch.record('once-busy');
    const before = sketch.frequency('once-busy');
    // The sample is 10 × max(capacity, 16) accesses; 12 of them are already counted.
    for (let i = 0; i < 10 * capacity - 12; i++) sketch.record(`other-${i}`);
    expect(sketch.frequency('once-busy')).toBeLessThanOrEqual(Math.floor(before / 2) + 1);
    expect(sketch.frequency('once-busy')).toBeGreaterThanOrEqual(Math.floor(before / 2));
  });

  it('seeds its hash per instance: the keys that collide in one process are not those of another', () => {
    // 600 keys in rows of 1,024 counters (capacity 64, before any aging): some of the 2,000 keys
    // never recorded share counters with recorded ones in every row, and seem asked for.
    const recorded = Array.from({ length: 600 }, (_, i) => `recorded-${i}`);
    const probes = Array.from({ length: 2000 }, (_, i) => `probe-${i}`);
    const overcounted = (sketch: FrequencySketch) => {
      for (const key of recorded) sketch.record(key);
      return probes.filter((key) => sketch.frequency(key) > 0);
    };
    const first = overcounted(new FrequencySketch(64));
    const second = overcounted(new FrequencySketch(64));
    expect(first.length).toBeGreaterThan(0);
    expect(first).not.toEqual(second);
  });
});
