import { GbmError } from './errors.js';
import type { GbmModelBody, GbmTree } from './types.js';

function invalid(message: string): never {
  throw new GbmError('GBM_INVALID_MODEL', `${message}; retrain or restore the model file`);
}

function checkTree(tree: GbmTree, index: number, featureCount: number): void {
  const size = tree.value.length;
  const arrays = [tree.feature, tree.threshold, tree.defaultLeft, tree.left, tree.right, tree.cover];
  if (size === 0 || arrays.some((a) => !Array.isArray(a) || a.length !== size)) {
    invalid(`tree ${index} has node arrays of unequal or zero length`);
  }
  for (let node = 0; node < size; node++) {
    const left = tree.left[node]!;
    const right = tree.right[node]!;
    if (!(tree.cover[node]! > 0) || !Number.isFinite(tree.value[node]!)) {
      invalid(`tree ${index} node ${node} has a non-positive cover or a non-finite value`);
    }
    if (left < 0) continue;
    // Children after their parent: the tree has no cycles and can be walked in id order.
    if (
      !(
        left > node &&
        right > node &&
        left < size &&
        right < size &&
        Number.isInteger(left) &&
        Number.isInteger(right)
      )
    ) {
      invalid(`tree ${index} node ${node} has children out of range`);
    }
    const f = tree.feature[node]!;
    if (!Number.isInteger(f) || f < 0 || f >= featureCount || typeof tree.threshold[node] !== 'number') {
      invalid(`tree ${index} node ${node} splits on an unknown feature`);
    }
  }
}

/** Checks that a model read from storage has the shape the scorer relies on. */
export function validateGbmModel(model: GbmModelBody): void {
  if (model.format !== 'lendguard.gbm' || model.formatVersion !== 1) {
    invalid(
      `not a lendguard.gbm version 1 model (format ${String(model.format)}, version ${String(model.formatVersion)})`,
    );
  }
  if (!Array.isArray(model.features) || model.features.length === 0) invalid('model has no features');
  if (!Array.isArray(model.trees) || model.trees.length === 0) invalid('model has no trees');
  if (!Number.isFinite(model.baseScore)) invalid('model base score is not a finite number');
  for (const [i, tree] of model.trees.entries()) checkTree(tree, i, model.features.length);
}
