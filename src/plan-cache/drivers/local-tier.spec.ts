import { newEntry } from '../cache/cache-entry.js';
import { LocalTier } from './local-tier.js';

const entry = (value: string) => newEntry(value, { freshMs: 60_000, usableMs: 60_000 });

describe('LocalTier', () => {
  it('without admission, pushes the least recently used entry out for any new key', () => {
    const tier = new LocalTier<string>(2);
    tier.write('a', entry('a'));
    tier.write('b', entry('b'));
    expect(tier.write('c', entry('c'))).toBe(true);
    expect(tier.read('a')).toBeUndefined();
  });

  describe('with frequency admission', () => {
    it('admits anything while it has room', () => {
      const tier = new LocalTier<string>(3, { frequencyAdmission: true });
      for (const key of ['a', 'b', 'c']) expect(tier.write(key, entry(key))).toBe(true);
      expect(tier.size).toBe(3);
    });

    it('turns away a key asked for once when full of keys asked for more', () => {
      const tier = new LocalTier<string>(2, { frequencyAdmission: true });
      for (const key of ['busy', 'warm']) {
        tier.noteAccess(key);
        tier.noteAccess(key);
        tier.write(key, entry(key));
      }
      for (let i = 0; i < 20; i++) {
        const key = `one-off-${i}`;
        tier.noteAccess(key);
        expect(tier.write(key, entry(key))).toBe(false);
      }
      expect(tier.read('busy')?.value).toBe('busy');
      expect(tier.read('warm')?.value).toBe('warm');
    });

    it('admits a key asked for more than the entry it pushes out, and replaces a held key in place', () => {
      const tier = new LocalTier<string>(2, { frequencyAdmission: true });
      tier.noteAccess('a');
      tier.write('a', entry('a'));
      tier.noteAccess('b');
      tier.write('b', entry('b'));
      for (let i = 0; i < 3; i++) tier.noteAccess('c');
      expect(tier.write('c', entry('c'))).toBe(true);
      expect(tier.read('a')).toBeUndefined();
      expect(tier.write('b', entry('b2'))).toBe(true);
      expect(tier.read('b')?.value).toBe('b2');
    });

    it('counts a warmed key as busy before anyone reads it', () => {
      const tier = new LocalTier<string>(1, { frequencyAdmission: true });
      tier.noteBusy('warmed');
      tier.write('warmed', entry('warmed'));
      for (let i = 0; i < 5; i++) tier.noteAccess('rival');
      expect(tier.write('rival', entry('rival'))).toBe(false);
      expect(tier.read('warmed')?.value).toBe('warmed');
    });

    it('lets a key asked for more than a warmed one nobody reads take its place', () => {
      const tier = new LocalTier<string>(1, { frequencyAdmission: true });
      tier.noteBusy('warmed');
      tier.write('warmed', entry('warmed'));
      for (let i = 0; i < 12; i++) tier.noteAccess('really-busy');
      expect(tier.write('really-busy', entry('really-busy'))).toBe(true);
    });
  });
});
