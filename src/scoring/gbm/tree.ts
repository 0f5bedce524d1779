import { type BinnedMatrix, MISSING_BIN } from './binning.js';
import { gbmAssert } from './errors.js';
import { type HistogramBuilder, planHistogram, SerialHistograms } from './histogram.js';

/** Hessian below which a child is treated as empty, whatever `minChildWeight` says (rounding guard). */
export const CHILD_HESSIAN_FLOOR = 1e-6;

/**
 * Missing-bin hessian below which a node is taken to have no missing rows: histograms got by subtraction carry
 * rounding residue where the true sum is zero.
 */
export const MISSING_HESSIAN_EMPTY = 1e-9;

/** Settings of one tree's growth. */
export interface GrowSettings {
  readonly maxDepth: number;
  /** 0 = no limit beyond depth. */
  readonly maxLeaves: number;
  readonly l2: number;
  readonly minChildWeight: number;
  readonly minSplitGain: number;
  readonly learningRate: number;
  /** Per feature: 1 increasing, -1 decreasing, 0 free. */
  readonly monotone: Int8Array;
}

/** A tree as grown: splits in bin units, so rows can be routed by their byte codes. */
export interface BinnedTree {
  readonly feature: number[];
  /** Rows with a value bin <= this go left. */
  readonly binThreshold: number[];
  readonly defaultLeft: boolean[];
  readonly left: number[];
  readonly right: number[];
  /** Leaf value with learning rate applied; 0 at internal nodes. */
  readonly value: number[];
  readonly cover: number[];
  /** Per leaf, where its rows lie in the workspace row list after growth (not saved with the model). */
  readonly leaves: { readonly node: number; readonly start: number; readonly end: number }[];
}

/** The best split of one node, or none. */
export interface SplitChoice {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  leftWeight: number;
  rightWeight: number;
}

/** Regularised weight of a leaf, held inside the bounds that monotone constraints impose. */
export function leafWeight(g: number, h: number, l2: number, lower: number, upper: number): number {
  const w = -g / (h + l2);
  return Math.min(Math.max(w, lower), upper);
}

/** Twice the loss reduction from giving weight w to rows with gradient sum g and hessian sum h. */
function objectiveGain(g: number, h: number, l2: number, w: number): number {
  return -(2 * g * w + (h + l2) * w * w);
}

/**
 * Best split of a node from its gradient/hessian histogram. Gain is the second-order loss reduction
 * ½·[score(L) + score(R) − score(parent)] with score(G,H,w) = −(2Gw + (H+λ)w²), which equals the familiar
 * G²/(H+λ) form when no bound binds. A split must leave each child at least `minChildWeight` of hessian,
 * gain more than `minSplitGain`, and on a monotone feature keep the left (lower values) weight on the right
 * side of the right weight. Ties go to the lower feature, then the lower bin, then missing-left.
 */
export function findBestSplit(
  histogram: Float64Array,
  matrix: BinnedMatrix,
  features: Int32Array,
  g: number,
  h: number,
  lower: number,
  upper: number,
  settings: GrowSettings,
): SplitChoice | null {
  const { l2, minSplitGain } = settings;
  const minChild = Math.max(settings.minChildWeight, CHILD_HESSIAN_FLOOR);
  if (h < 2 * minChild) return null;
  const parentWeight = leafWeight(g, h, l2, lower, upper);
  const parentScore = objectiveGain(g, h, l2, parentWeight);
  let best: SplitChoice | null = null;
  let bestGain = minSplitGain;
  for (let k = 0; k < features.length; k++) {
    const f = features[k]!;
    const direction = settings.monotone[f]!;
    const base = matrix.histogramOffsets[f]! * 2;
    const valueBins = matrix.cuts[f]!.length + 1;
    const gMissing = histogram[base]!;
    const hMissing = histogram[base + 1]!;
    const hasMissing = hMissing > MISSING_HESSIAN_EMPTY;
    let gLeft = 0;
    let hLeft = 0;
    for (let b = 1; b <= valueBins; b++) {
      gLeft += histogram[base + 2 * b]!;
      hLeft += histogram[base + 2 * b + 1]!;
      for (let side = 0; side < 2; side++) {
        const missingLeft = side === 0;
        // With no missing rows here, only one assignment is tried; the default then follows the larger side.
        if (!hasMissing && side === 1) break;
        if (b === valueBins && missingLeft) continue;
        const gl = missingLeft ? gLeft + gMissing : gLeft;
        const hl = missingLeft ? hLeft + hMissing : hLeft;
        const gr = g - gl;
        const hr = h - hl;
        if (hl < minChild || hr < minChild) continue;
        const wl = leafWeight(gl, hl, l2, lower, upper);
        const wr = leafWeight(gr, hr, l2, lower, upper);
        if ((direction > 0 && wl > wr) || (direction < 0 && wl < wr)) continue;
        const gain = 0.5 * (objectiveGain(gl, hl, l2, wl) + objectiveGain(gr, hr, l2, wr) - parentScore);
        if (gain > bestGain) {
          bestGain = gain;
          const missingSide = hasMissing ? missingLeft : hl >= hr;
          best = { gain, feature: f, bin: b, missingLeft: missingSide, leftWeight: wl, rightWeight: wr };
        }
      }
    }
  }
  return best;
}

/** Reusable buffers for growing trees on one matrix. */
export class TreeWorkspace {
  /** Row numbers of the rows in growth, grouped by node; shared with histogram threads. */
  readonly rows: Uint32Array;
  readonly scratch: Uint32Array;
  private readonly pool: Float64Array[] = [];
  readonly slots: number;

  constructor(rowCapacity: number, histogramSlots: number) {
    this.rows = new Uint32Array(new SharedArrayBuffer(rowCapacity * Uint32Array.BYTES_PER_ELEMENT));
    this.scratch = new Uint32Array(rowCapacity);
    this.slots = histogramSlots;
  }

  acquire(): Float64Array {
    const buffer = this.pool.pop();
    if (buffer) {
      buffer.fill(0);
      return buffer;
    }
    return new Float64Array(this.slots * 2);
  }

  release(buffer: Float64Array): void {
    this.pool.push(buffer);
  }
}

interface PendingLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  lower: number;
  upper: number;
  histogram: Float64Array | null;
  split: SplitChoice | null;
}

/**
 * Grows one tree best-first (largest gain first) on the rows `workspace.rows[0..rowCount)`. Without a leaf
 * limit this makes the same tree as level-wise growth to `maxDepth`. Each split builds the histogram of the
 * smaller child only and gets the larger one by subtracting it from the parent's. `gradHess` holds each row's
 * gradient and hessian side by side.
 */
export function growTree(
  matrix: BinnedMatrix,
  gradHess: Float64Array,
  workspace: TreeWorkspace,
  rowCount: number,
  features: Int32Array,
  settings: GrowSettings,
  histograms: HistogramBuilder = new SerialHistograms(matrix),
): BinnedTree {
  const tree: BinnedTree = {
    feature: [],
    binThreshold: [],
    defaultLeft: [],
    left: [],
    right: [],
    value: [],
    cover: [],
    leaves: [],
  };
  const { rows } = workspace;
  const addNode = (weight: number): number => {
    tree.feature.push(-1);
    tree.binThreshold.push(0);
    tree.defaultLeft.push(false);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(settings.learningRate * weight);
    tree.cover.push(0);
    return tree.value.length - 1;
  };
  const plan = planHistogram(matrix, features);
  const [g, h] = sums(rows, 0, rowCount, gradHess);
  const root = addNode(leafWeight(g, h, settings.l2, -Infinity, Infinity));
  const finished: PendingLeaf[] = [];
  const open: PendingLeaf[] = [];
  const consider = (leaf: PendingLeaf, gSum: number, hSum: number): void => {
    if (leaf.depth >= settings.maxDepth || leaf.histogram === null) {
      if (leaf.histogram) workspace.release(leaf.histogram);
      leaf.histogram = null;
      finished.push(leaf);
      return;
    }
    leaf.split = findBestSplit(
      leaf.histogram,
      matrix,
      features,
      gSum,
      hSum,
      leaf.lower,
      leaf.upper,
      settings,
    );
    if (leaf.split === null) {
      workspace.release(leaf.histogram);
      leaf.histogram = null;
      finished.push(leaf);
    } else open.push(leaf);
  };
  const rootHistogram = settings.maxDepth > 0 ? workspace.acquire() : null;
  if (rootHistogram) histograms.build(rootHistogram, plan, rows, 0, rowCount, gradHess);
  consider(
    {
      node: root,
      start: 0,
      end: rowCount,
      depth: 0,
      lower: -Infinity,
      upper: Infinity,
      histogram: rootHistogram,
      split: null,
    },
    g,
    h,
  );
  let leaves = 1;
  while (open.length > 0 && (settings.maxLeaves === 0 || leaves < settings.maxLeaves)) {
    let pick = 0;
    for (let i = 1; i < open.length; i++) {
      const a = open[i]!.split!;
      const b = open[pick]!.split!;
      if (a.gain > b.gain || (a.gain === b.gain && open[i]!.node < open[pick]!.node)) pick = i;
    }
    const leaf = open.splice(pick, 1)[0]!;
    const split = leaf.split!;
    const middle = histograms.partition
      ? histograms.partition(rows, leaf.start, leaf.end, split.feature, split.bin, split.missingLeft)
      : partition(matrix, rows, workspace.scratch, leaf.start, leaf.end, split);
    const node = leaf.node;
    tree.feature[node] = split.feature;
    tree.binThreshold[node] = split.bin;
    tree.defaultLeft[node] = split.missingLeft;
    tree.value[node] = 0;
    const leftNode = addNode(split.leftWeight);
    const rightNode = addNode(split.rightWeight);
    tree.left[node] = leftNode;
    tree.right[node] = rightNode;
    leaves += 1;
    let leftLower = leaf.lower;
    let leftUpper = leaf.upper;
    let rightLower = leaf.lower;
    let rightUpper = leaf.upper;
    const direction = settings.monotone[split.feature]!;
    if (direction !== 0) {
      const mid = (split.leftWeight + split.rightWeight) / 2;
      if (direction > 0) {
        leftUpper = mid;
        rightLower = mid;
      } else {
        leftLower = mid;
        rightUpper = mid;
      }
    }
    const childDepth = leaf.depth + 1;
    const parentHistogram = leaf.histogram!;
    let leftHistogram: Float64Array | null = null;
    let rightHistogram: Float64Array | null = null;
    if (childDepth < settings.maxDepth) {
      const leftSmaller = middle - leaf.start <= leaf.end - middle;
      const small = workspace.acquire();
      if (leftSmaller) histograms.build(small, plan, rows, leaf.start, middle, gradHess);
      else histograms.build(small, plan, rows, middle, leaf.end, gradHess);
      for (let i = 0; i < parentHistogram.length; i++) parentHistogram[i]! -= small[i]!;
      leftHistogram = leftSmaller ? small : parentHistogram;
      rightHistogram = leftSmaller ? parentHistogram : small;
    } else workspace.release(parentHistogram);
    // Children at the depth limit are never split, so their sums are not needed.
    const [gl, hl] = leftHistogram ? histogramTotals(leftHistogram, matrix, features[0]!) : [0, 0];
    const [gr, hr] = rightHistogram ? histogramTotals(rightHistogram, matrix, features[0]!) : [0, 0];
    consider(
      {
        node: leftNode,
        start: leaf.start,
        end: middle,
        depth: childDepth,
        lower: leftLower,
        upper: leftUpper,
        histogram: leftHistogram,
        split: null,
      },
      gl,
      hl,
    );
    consider(
      {
        node: rightNode,
        start: middle,
        end: leaf.end,
        depth: childDepth,
        lower: rightLower,
        upper: rightUpper,
        histogram: rightHistogram,
        split: null,
      },
      gr,
      hr,
    );
  }
  for (const leaf of open) {
    if (leaf.histogram) workspace.release(leaf.histogram);
    finished.push(leaf);
  }
  // Cover is summed directly over the rows of each leaf, then up the tree, so a parent's cover is exactly
  // the sum of its children's: TreeSHAP's expected value and its path weights then agree.
  for (const leaf of finished) {
    tree.cover[leaf.node] = sums(rows, leaf.start, leaf.end, gradHess)[1];
    tree.leaves.push({ node: leaf.node, start: leaf.start, end: leaf.end });
  }
  for (let node = tree.value.length - 1; node >= 0; node--) {
    const l = tree.left[node]!;
    if (l >= 0) tree.cover[node] = tree.cover[l]! + tree.cover[tree.right[node]!]!;
  }
  gbmAssert(tree.left.length === 2 * leaves - 1, 'a binary tree has one fewer split than leaves');
  return tree;
}

/** Gradient and hessian sums of a node, read off one feature's bins of its histogram. */
function histogramTotals(histogram: Float64Array, matrix: BinnedMatrix, feature: number): [number, number] {
  const base = matrix.histogramOffsets[feature]! * 2;
  const bins = matrix.cuts[feature]!.length + 2;
  let g = 0;
  let h = 0;
  for (let b = 0; b < bins; b++) {
    g += histogram[base + 2 * b]!;
    h += histogram[base + 2 * b + 1]!;
  }
  return [g, h];
}

function sums(rows: Uint32Array, start: number, end: number, gradHess: Float64Array): [number, number] {
  let g = 0;
  let h = 0;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    g += gradHess[2 * r]!;
    h += gradHess[2 * r + 1]!;
  }
  return [g, h];
}

/** Stable in-place partition of `rows[start..end)` by a split; returns where the right side begins. */
function partition(
  matrix: BinnedMatrix,
  rows: Uint32Array,
  scratch: Uint32Array,
  start: number,
  end: number,
  split: SplitChoice,
): number {
  const { rowCount } = matrix;
  const column = matrix.columnCodes.subarray(split.feature * rowCount, (split.feature + 1) * rowCount);
  const threshold = split.bin;
  // Branch-free: each row is written to both lists and only the list it belongs to moves on. The missing bin
  // 0 is read as 0 (left of every threshold) or as 256 (right of every one).
  const missingBump = split.missingLeft ? 0 : 256;
  let write = start;
  let spill = 0;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const code = column[r]!;
    const left = code + ((code - 1) >>> 31) * missingBump <= threshold ? 1 : 0;
    rows[write] = r;
    scratch[spill] = r;
    write += left;
    spill += 1 - left;
  }
  rows.set(scratch.subarray(0, spill), write);
  return write;
}

/** Leaf reached by a row of the binned matrix. */
export function routeBinned(tree: BinnedTree, codes: Uint8Array, rowBase: number): number {
  let node = 0;
  while (tree.left[node]! >= 0) {
    const code = codes[rowBase + tree.feature[node]!]!;
    const goLeft = code === MISSING_BIN ? tree.defaultLeft[node]! : code <= tree.binThreshold[node]!;
    node = goLeft ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}
