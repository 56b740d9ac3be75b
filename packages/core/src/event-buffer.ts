/**
 * A FIFO with cheap removal at the head and re-insertion at the head (a pool's event buffer):
 * an array read from a moving start index, compacted once the dead prefix outgrows the live part.
 */
export class EventBuffer<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  unshift(item: T): void {
    if (this.#head > 0) this.#items[--this.#head] = item;
    else this.#items.unshift(item);
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined as T; // let it be collected
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  at(index: number): T | undefined {
    const i = index < 0 ? this.#items.length + index : this.#head + index;
    return i >= this.#head && i < this.#items.length ? this.#items[i] : undefined;
  }

  toArray(): T[] {
    return this.#items.slice(this.#head);
  }
}
