/**
 * Weight of evidence, with the toolkit's one smoothing rule.
 *
 * WoE of a bin = ln( ((bads + 0.5) / B) / ((goods + 0.5) / G) ), where B and G are the training totals of bads
 * and goods. Adding one half to each count (Haldane–Anscombe) keeps the WoE of a pure bin finite; a bin with no
 * training rows at all has WoE 0 (no evidence either way). WoE is oriented towards bad: a positive WoE means the
 * bin holds more than its share of bads, so scorecard coefficients are expected to be positive.
 * IV of a bin = ((bads + 0.5) / B − (goods + 0.5) / G) × WoE, and 0 for an empty bin; IV of a feature is the sum.
 */
export const WOE_PSEUDO_COUNT = 0.5;

export function woe(goods: number, bads: number, totalGoods: number, totalBads: number): number {
  if (goods + bads === 0 || totalGoods === 0 || totalBads === 0) return 0;
  return Math.log((bads + WOE_PSEUDO_COUNT) / totalBads / ((goods + WOE_PSEUDO_COUNT) / totalGoods));
}

export function informationValue(goods: number, bads: number, totalGoods: number, totalBads: number): number {
  if (goods + bads === 0 || totalGoods === 0 || totalBads === 0) return 0;
  const badShare = (bads + WOE_PSEUDO_COUNT) / totalBads;
  const goodShare = (goods + WOE_PSEUDO_COUNT) / totalGoods;
  return (badShare - goodShare) * Math.log(badShare / goodShare);
}
