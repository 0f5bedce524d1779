import { gbmAssert } from './errors.js';
import type { GbmTree } from './types.js';

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee, "Consistent individualized feature attribution for
 * tree ensembles"): for one row, the Shapley values of the game whose value for a feature subset S is the
 * tree's cover-weighted expectation given only the features in S, in time O(leaves · depth²) per tree.
 *
 * While descending, the algorithm keeps the set of distinct features on the current path, each with the
 * share of cover that flows down the path when the feature is unknown (`zero`) and whether the row itself
 * follows the path (`one`), plus, per subset size, the summed permutation weight of the subsets (`weight`).
 * Extending the path by a feature updates those weights like a polynomial product; "unwinding" divides a
 * feature back out. A feature met twice on a path is unwound first and re-entered with combined fractions.
 */
export class TreeShapWorkspace {
  private readonly stride: number;
  private readonly feature: Int32Array;
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly weight: Float64Array;
  // The row being explained, held here rather than passed down every level of the recursion.
  private tree: GbmTree = {
    feature: [],
    threshold: [],
    defaultLeft: [],
    left: [],
    right: [],
    value: [],
    cover: [],
  };
  private columns: readonly Float64Array[] = [];
  private row = 0;
  private phi: Float64Array = new Float64Array(0);

  constructor(maxDepth: number) {
    this.stride = maxDepth + 2;
    const size = this.stride * (maxDepth + 2);
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  /** Adds this tree's SHAP values for the row to `phi` (one slot per feature). */
  explain(tree: GbmTree, columns: readonly Float64Array[], row: number, phi: Float64Array): void {
    this.tree = tree;
    this.columns = columns;
    this.row = row;
    this.phi = phi;
    this.recurse(0, 0, 0, 1, 1, -1, 0);
  }

  private extend(offset: number, length: number, zero: number, one: number, feature: number): void {
    const w = this.weight;
    this.feature[offset + length] = feature;
    this.zero[offset + length] = zero;
    this.one[offset + length] = one;
    w[offset + length] = length === 0 ? 1 : 0;
    const scale = 1 / (length + 1);
    for (let i = length - 1; i >= 0; i--) {
      const current = w[offset + i]!;
      w[offset + i + 1]! += one * current * (i + 1) * scale;
      w[offset + i] = zero * current * (length - i) * scale;
    }
  }

  /** Removes path element `index` from a path of `length` elements. */
  private unwind(offset: number, length: number, index: number): void {
    const w = this.weight;
    const last = length - 1;
    const one = this.one[offset + index]!;
    const zero = this.zero[offset + index]!;
    let carry = w[offset + last]!;
    for (let j = last - 1; j >= 0; j--) {
      if (one !== 0) {
        const previous = w[offset + j]!;
        w[offset + j] = (carry * (last + 1)) / ((j + 1) * one);
        carry = previous - (w[offset + j]! * zero * (last - j)) / (last + 1);
      } else {
        w[offset + j] = (w[offset + j]! * (last + 1)) / (zero * (last - j));
      }
    }
    for (let j = index; j < last; j++) {
      this.feature[offset + j] = this.feature[offset + j + 1]!;
      this.zero[offset + j] = this.zero[offset + j + 1]!;
      this.one[offset + j] = this.one[offset + j + 1]!;
    }
  }

  /** Total weight of the path with element `index` divided out, without changing the path. */
  private unwoundSum(offset: number, length: number, index: number): number {
    const w = this.weight;
    const last = length - 1;
    const one = this.one[offset + index]!;
    const zero = this.zero[offset + index]!;
    let total = 0;
    if (one !== 0) {
      const oneScaled = (last + 1) / one;
      const zeroScaled = zero / (last + 1);
      let carry = w[offset + last]!;
      for (let j = last - 1; j >= 0; j--) {
        const share = (carry * oneScaled) / (j + 1);
        total += share;
        carry = w[offset + j]! - share * zeroScaled * (last - j);
      }
    } else {
      const zeroScaled = (last + 1) / zero;
      for (let j = last - 1; j >= 0; j--) total += (w[offset + j]! * zeroScaled) / (last - j);
    }
    return total;
  }

  private recurse(
    node: number,
    level: number,
    parentLength: number,
    zero: number,
    one: number,
    feature: number,
    parentOffset: number,
  ): void {
    const tree = this.tree;
    const offset = level * this.stride;
    gbmAssert(level < this.stride, 'tree deeper than the workspace was sized for');
    if (level > 0) {
      // Plain loops: paths are a few elements long, shorter than the set-up cost of copyWithin.
      const features = this.feature;
      const zeros = this.zero;
      const ones = this.one;
      const weights = this.weight;
      for (let i = 0; i < parentLength; i++) {
        features[offset + i] = features[parentOffset + i]!;
        zeros[offset + i] = zeros[parentOffset + i]!;
        ones[offset + i] = ones[parentOffset + i]!;
        weights[offset + i] = weights[parentOffset + i]!;
      }
    }
    this.extend(offset, parentLength, zero, one, feature);
    let length = parentLength + 1;
    const left = tree.left[node]!;
    if (left < 0) {
      const leafValue = tree.value[node]!;
      const phi = this.phi;
      for (let i = 1; i < length; i++) {
        const w = this.unwoundSum(offset, length, i);
        phi[this.feature[offset + i]!]! += w * (this.one[offset + i]! - this.zero[offset + i]!) * leafValue;
      }
      return;
    }
    const right = tree.right[node]!;
    const split = tree.feature[node]!;
    const x = this.columns[split]![this.row]!;
    const goLeft = Number.isNaN(x) ? tree.defaultLeft[node]! : x <= tree.threshold[node]!;
    const hot = goLeft ? left : right;
    const cold = goLeft ? right : left;
    let incomingZero = 1;
    let incomingOne = 1;
    for (let k = 1; k < length; k++) {
      if (this.feature[offset + k] === split) {
        incomingZero = this.zero[offset + k]!;
        incomingOne = this.one[offset + k]!;
        this.unwind(offset, length, k);
        length -= 1;
        break;
      }
    }
    const cover = tree.cover[node]!;
    const next = level + 1;
    this.recurse(hot, next, length, (incomingZero * tree.cover[hot]!) / cover, incomingOne, split, offset);
    this.recurse(cold, next, length, (incomingZero * tree.cover[cold]!) / cover, 0, split, offset);
  }
}

/** Cover-weighted mean leaf value of a tree: its SHAP expected value. */
export function treeExpectedValue(tree: GbmTree): number {
  const rootCover = tree.cover[0]!;
  let total = 0;
  for (let node = 0; node < tree.value.length; node++) {
    if (tree.left[node]! < 0) total += (tree.value[node]! * tree.cover[node]!) / rootCover;
  }
  return total;
}

/** Depth of a tree (a lone leaf has depth 0). */
export function treeDepth(tree: GbmTree): number {
  const depth = new Int32Array(tree.value.length);
  let deepest = 0;
  for (let node = 0; node < tree.value.length; node++) {
    const left = tree.left[node]!;
    if (left >= 0) {
      depth[left] = depth[node]! + 1;
      depth[tree.right[node]!] = depth[node]! + 1;
      deepest = Math.max(deepest, depth[node]! + 1);
    }
  }
  return deepest;
}
