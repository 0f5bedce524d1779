/**
 * Seeded pseudo-random numbers (SplitMix32-style mixing): the only randomness training uses, so one seed
 * gives one model, byte for byte.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Fold any finite number (negative, fractional, beyond 32 bits) into the 32-bit state.
    const whole = Math.trunc(seed);
    this.state = (whole ^ Math.trunc(whole / 4_294_967_296)) >>> 0;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** Shuffles in place (Fisher–Yates). */
  shuffle(values: Uint32Array | Int32Array): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = values[i]!;
      values[i] = values[j]!;
      values[j] = t;
    }
  }
}
