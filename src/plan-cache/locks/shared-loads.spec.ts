import { SharedLoads } from './shared-loads.js';

interface Load {
  id: number;
  abandoned: boolean;
  done: Promise<void>;
  finish: () => void;
}

function newLoad(id: number): Load {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { id, abandoned: false, done, finish };
}

const rules = { joinable: (load: Load) => !load.abandoned, settled: (load: Load) => load.done };

describe('SharedLoads', () => {
  it('lets concurrent requests of a key wait for the first admission and join its load, starting it once', async () => {
    const loads = new SharedLoads<Load>(rules);
    let admitted!: () => void;
    const admission = new Promise<void>((resolve) => (admitted = resolve));
    let starts = 0;
    const start = async () => {
      starts++;
      await admission;
      return newLoad(starts);
    };
    const first = loads.join('k', start);
    const second = loads.join('k', start);
    admitted();
    const [a, b] = await Promise.all([first, second]);
    expect(starts).toBe(1);
    expect(a).toEqual({ load: expect.objectContaining({ id: 1 }), joined: false });
    expect(b.joined).toBe(true);
    expect(b.load).toBe(a.load);
  });

  it("admits the next request on its own account when the first one's admission is refused", async () => {
    const loads = new SharedLoads<Load>(rules);
    let refuse!: (error: Error) => void;
    const refused = loads.join('k', () => new Promise<Load>((_, reject) => (refuse = reject)));
    const next = loads.join('k', async () => newLoad(2));
    refuse(new Error('limit'));
    await expect(refused).rejects.toThrow('limit');
    await expect(next).resolves.toEqual({ load: expect.objectContaining({ id: 2 }), joined: false });
  });

  it('starts anew once a load is over, or when every client of it has left', async () => {
    const loads = new SharedLoads<Load>(rules);
    const { load: first } = await loads.join('k', async () => newLoad(1));
    first.finish();
    await first.done;
    await new Promise((resolve) => setImmediate(resolve));
    const { load: second, joined } = await loads.join('k', async () => newLoad(2));
    expect([second.id, joined]).toEqual([2, false]);
    second.abandoned = true;
    const third = await loads.join('k', async () => newLoad(3));
    expect([third.load.id, third.joined]).toEqual([3, false]);
  });

  it('never makes work that must not wait wait for an admission, and joins a running load', async () => {
    const loads = new SharedLoads<Load>(rules);
    let admitted!: (load: Load) => void;
    const client = loads.join('k', () => new Promise<Load>((resolve) => (admitted = resolve)));
    let starts = 0;
    const background = async () => newLoad(++starts + 10);
    await expect(loads.joinUnlessAdmitting('k', background)).resolves.toBeUndefined();
    admitted(newLoad(1));
    const { load } = await client;
    await expect(loads.joinUnlessAdmitting('k', background)).resolves.toEqual({ load, joined: true });
    expect(starts).toBe(0);
    load.finish();
    await load.done;
    await new Promise((resolve) => setImmediate(resolve));
    await expect(loads.joinUnlessAdmitting('k', background)).resolves.toEqual({
      load: expect.objectContaining({ id: 11 }),
      joined: false,
    });
  });
});
