/**
 * The loops that training spends its time in, written as self-contained functions (no imports, no closures,
 * no inner functions, no constants from outside): the thread pool (`threads.ts`) runs their very source text
 * in its workers, and the calling thread calls them directly, so every thread runs the same code.
 *
 * Every histogram cell is summed in row order by exactly one caller, and every row's gradient is computed by
 * exactly one caller, so how the work is split between threads never changes a single bit of the result.
 */

/**
 * Adds rows `rows[start..end)` into `histogram` for the features held in 32-bit words
 * `[wordStart, wordEnd)` of each row's codes. Two rows go through the loop at once: the additions into any one
 * cell still come in row order, and the two rows' independent updates keep the processor busy.
 * `gradHess` holds each row's gradient and hessian side by side; `laneSlots` is `BinnedMatrix.laneSlots`.
 */
export function accumulateWords(
  histogram: Float64Array,
  codeWords: Uint32Array,
  wordsPerRow: number,
  laneSlots: Int32Array,
  gradHess: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
  wordStart: number,
  wordEnd: number,
): void {
  let i = start;
  for (; i + 1 < end; i += 2) {
    const r = rows[i]!;
    const q = rows[i + 1]!;
    const gr = gradHess[2 * r]!;
    const hr = gradHess[2 * r + 1]!;
    const gq = gradHess[2 * q]!;
    const hq = gradHess[2 * q + 1]!;
    const rBase = r * wordsPerRow;
    const qBase = q * wordsPerRow;
    for (let w = wordStart; w < wordEnd; w++) {
      const a = codeWords[rBase + w]!;
      const b = codeWords[qBase + w]!;
      const lane = w << 2;
      const s0 = laneSlots[lane]!;
      const s1 = laneSlots[lane + 1]!;
      const s2 = laneSlots[lane + 2]!;
      const s3 = laneSlots[lane + 3]!;
      let s = s0 + ((a & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = s0 + ((b & 255) << 1);
      histogram[s]! += gq;
      histogram[s + 1]! += hq;
      s = s1 + (((a >>> 8) & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = s1 + (((b >>> 8) & 255) << 1);
      histogram[s]! += gq;
      histogram[s + 1]! += hq;
      s = s2 + (((a >>> 16) & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = s2 + (((b >>> 16) & 255) << 1);
      histogram[s]! += gq;
      histogram[s + 1]! += hq;
      s = s3 + ((a >>> 24) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = s3 + ((b >>> 24) << 1);
      histogram[s]! += gq;
      histogram[s + 1]! += hq;
    }
  }
  if (i < end) {
    const r = rows[i]!;
    const gr = gradHess[2 * r]!;
    const hr = gradHess[2 * r + 1]!;
    const rBase = r * wordsPerRow;
    for (let w = wordStart; w < wordEnd; w++) {
      const a = codeWords[rBase + w]!;
      const lane = w << 2;
      let s = laneSlots[lane]! + ((a & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = laneSlots[lane + 1]! + (((a >>> 8) & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = laneSlots[lane + 2]! + (((a >>> 16) & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = laneSlots[lane + 3]! + ((a >>> 24) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
    }
  }
}

/**
 * Adds rows `rows[start..end)` into `histogram` for the listed features `k` in `[listStart, listEnd)`:
 * `columns[k]` is the feature (its byte in a row) and `slots[k]` twice its first histogram slot. Used when a
 * tree is offered only some features, so that the others cost nothing.
 */
export function accumulateBytes(
  histogram: Float64Array,
  codes: Uint8Array,
  rowStride: number,
  columns: Int32Array,
  slots: Int32Array,
  gradHess: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
  listStart: number,
  listEnd: number,
): void {
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const gr = gradHess[2 * r]!;
    const hr = gradHess[2 * r + 1]!;
    const base = r * rowStride;
    for (let k = listStart; k < listEnd; k++) {
      const s = slots[k]! + (codes[base + columns[k]!]! << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
    }
  }
}

/**
 * Gradient (p − y) and hessian (p(1 − p), at least `hessianMin`) of log-loss for rows `rows[start..end)`,
 * written side by side into `gradHess`, from the margins (log-odds).
 */
export function computeGradients(
  gradHess: Float64Array,
  margin: Float64Array,
  y: Uint8Array,
  rows: Uint32Array,
  start: number,
  end: number,
  hessianMin: number,
): void {
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const p = 1 / (1 + Math.exp(-margin[r]!));
    gradHess[2 * r] = p - y[r]!;
    gradHess[2 * r + 1] = Math.max(p * (1 - p), hessianMin);
  }
}
