/**
 * The admin token the operator typed: kept in this page's memory only (never in storage or a
 * cookie), so that closing the tab forgets it.
 */
export class AdminToken {
  #value = '';
  readonly #listeners = new Set<(present: boolean) => void>();

  get value(): string {
    return this.#value;
  }

  get present(): boolean {
    return this.#value !== '';
  }

  set(value: string): void {
    const trimmed = value.trim();
    if (trimmed === this.#value) return;
    this.#value = trimmed;
    for (const listener of this.#listeners) listener(this.present);
  }

  onChange(listener: (present: boolean) => void): void {
    this.#listeners.add(listener);
  }
}
