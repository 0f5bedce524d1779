/**
 * The histogram loop of a one-thread fit as a small WebAssembly function (decision 0534). It runs the word
 * kernel of `kernels.ts` — the same rows in the same order, each cell summed `old + gradient` exactly as there —
 * but adds a row's gradient and hessian to a cell with one 128-bit load, one two-lane double addition and one
 * store, without the bounds checks of typed arrays. IEEE additions give the same bits in either engine, so the
 * trees are those of the JavaScript kernel. A second function partitions a node's rows exactly as `tree.ts`
 * does.
 *
 * The module is assembled here from its instructions, so the whole loop reads below. Where WebAssembly or its
 * 128-bit instructions are missing, or the matrix does not fit, `WasmHistograms.forMatrix` returns null and
 * training uses the JavaScript kernel.
 */
import { type BinnedMatrix, CODES_PER_WORD } from './binning.js';
import {
  accumulatePlan,
  codeWords,
  type HistogramBuilder,
  type HistogramPlan,
  planUnits,
} from './histogram.js';

/** Bytes of one histogram cell: gradient and hessian sums, two doubles. */
const CELL_BYTES = 16;
const PAGE_BYTES = 65_536;
/** Largest memory asked for (bytes); a bigger matrix trains with the JavaScript kernel. */
export const WASM_MEMORY_MAX_BYTES = 2 ** 31;

// Instruction bytes of the few instructions used (WebAssembly core 2.0 with fixed-width SIMD).
const I32 = 0x7f;
const V128 = 0x7b;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_LOAD = 0x28;
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_AND = 0x71;
const I32_SHL = 0x74;
const I32_SHR_U = 0x76;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const I32_LE_U = 0x4d;
const I32_SUB = 0x6b;
const I32_LOAD8_U = 0x2d;
const I32_STORE = 0x36;
const BLOCK = 0x02;
const LOOP = 0x03;
const EMPTY = 0x40;
const BR_IF = 0x0d;
const END = 0x0b;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00];
const V128_STORE = [SIMD, 0x0b];
const F64X2_ADD = [SIMD, 0xf0, 0x01];

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a small non-negative constant (below 2^31). */
function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  return vector([...text].map((c) => [c.charCodeAt(0)]));
}

// Parameters and locals of `words`, by index.
const ROW_AT = 0; // byte address of the next row number
const ROW_END = 1; // byte address after the last row number
const GRAD_HESS = 2; // byte address of row 0's gradient (its hessian follows)
const CODES = 3; // byte address of row 0's first code in the plan
const STRIDE = 4; // bytes per row of codes
const LANE_FIRST = 5; // byte address of the first lane's cell address (bin 0), 4 bytes a lane
const LANE_END = 6; // byte address after the last lane's
const ROW_GH = 7; // v128: the row's gradient and hessian
const AT = 8; // row number, then the address of the row's next word of codes
const LANE = 9; // address of the current lane's cell address
const WORD = 10; // four codes
const CELL = 11; // address of the cell to add to

/** Adds the row's gradient and hessian to the cell of the code in byte `byte` of WORD. */
function addLane(byte: number): number[] {
  // The code times 16 (a cell's bytes): byte 0 shifted left 4, the others right by 8·byte − 4, masked.
  const scaled =
    byte === 0 ? [I32_CONST, ...sleb(4), I32_SHL] : [I32_CONST, ...sleb(8 * byte - 4), I32_SHR_U];
  return [
    LOCAL_GET,
    LANE,
    I32_LOAD,
    2,
    ...uleb(4 * byte),
    LOCAL_GET,
    WORD,
    ...scaled,
    I32_CONST,
    ...sleb(0xff0),
    I32_AND,
    I32_ADD,
    LOCAL_TEE,
    CELL,
    LOCAL_GET,
    CELL,
    ...V128_LOAD,
    4,
    0,
    LOCAL_GET,
    ROW_GH,
    ...F64X2_ADD,
    ...V128_STORE,
    4,
    0,
  ];
}

// Parameters and locals of `partition`, by index.
const P_ROW_AT = 0; // byte address of the next row number
const P_ROW_END = 1; // byte address after the last
const P_COLUMN = 2; // byte address of the split feature's code of row 0 (feature-major codes)
const P_THRESHOLD = 3; // rows whose code (missing read as 0 or 256) is at most this go left
const P_MISSING = 4; // 0: missing goes left; 256: right
const P_SPILL = 5; // byte address of the spill list (right rows)
const P_WRITE = 6; // where the next left row is written (in place)
const P_ROW = 7;
const P_LEFT = 8;
const P_CODE = 9;

/**
 * `partition(rowAt, rowEnd, column, threshold, missing, spill)`: the branch-free stable partition of
 * `tree.ts` over the row numbers in `[rowAt, rowEnd)`: left rows are packed in place from `rowAt`, right rows
 * are written in order from `spill`. Returns the byte address after the last left row.
 */
function partitionBody(): number[] {
  const get = (i: number) => [LOCAL_GET, i];
  const set = (i: number) => [LOCAL_SET, i];
  return [
    ...get(P_ROW_AT),
    ...set(P_WRITE),
    ...[BLOCK, EMPTY],
    ...[...get(P_ROW_AT), ...get(P_ROW_END), I32_GE_U, BR_IF, 0],
    ...[LOOP, EMPTY],
    ...[...get(P_ROW_AT), I32_LOAD, 2, 0, ...set(P_ROW)],
    ...[...get(P_COLUMN), ...get(P_ROW), I32_ADD, I32_LOAD8_U, 0, 0, ...set(P_CODE)],
    // left = code + ((code − 1) >>> 31) · missing <= threshold
    ...[...get(P_CODE), ...get(P_CODE), I32_CONST, ...sleb(1), I32_SUB, I32_CONST, ...sleb(31), I32_SHR_U],
    ...[...get(P_MISSING), I32_MUL, I32_ADD, ...get(P_THRESHOLD), I32_LE_U, ...set(P_LEFT)],
    ...[...get(P_WRITE), ...get(P_ROW), I32_STORE, 2, 0],
    ...[...get(P_SPILL), ...get(P_ROW), I32_STORE, 2, 0],
    ...[...get(P_WRITE), ...get(P_LEFT), I32_CONST, ...sleb(2), I32_SHL, I32_ADD, ...set(P_WRITE)],
    ...[...get(P_SPILL), I32_CONST, ...sleb(4), I32_ADD, ...get(P_LEFT), I32_CONST, ...sleb(2), I32_SHL],
    ...[I32_SUB, ...set(P_SPILL)],
    ...[...get(P_ROW_AT), I32_CONST, ...sleb(4), I32_ADD, LOCAL_TEE, P_ROW_AT],
    ...[...get(P_ROW_END), I32_LT_U, BR_IF, 0],
    END,
    END,
    ...get(P_WRITE),
    END,
  ];
}

/**
 * `words(rowAt, rowEnd, gradHess, codes, stride, laneFirst, laneEnd)`: for each row number r in
 * `[rowAt, rowEnd)` (in order), for each word of r's codes in the plan (lanes in order), adds r's gradient and
 * hessian to the cell at `laneCell[lane] + 16·code`. At least one word per row.
 */
function histogramModule(): Uint8Array {
  const body = [
    ...[BLOCK, EMPTY],
    ...[LOCAL_GET, ROW_AT, LOCAL_GET, ROW_END, I32_GE_U, BR_IF, 0],
    ...[LOOP, EMPTY],
    // r = rows[at]; gh = gradHess[r]; at = codes + r·stride; lane = laneFirst
    ...[LOCAL_GET, ROW_AT, I32_LOAD, 2, 0, LOCAL_SET, AT],
    ...[LOCAL_GET, AT, I32_CONST, ...sleb(4), I32_SHL, LOCAL_GET, GRAD_HESS, I32_ADD],
    ...[...V128_LOAD, 4, 0, LOCAL_SET, ROW_GH],
    ...[LOCAL_GET, AT, LOCAL_GET, STRIDE, I32_MUL, LOCAL_GET, CODES, I32_ADD, LOCAL_SET, AT],
    ...[LOCAL_GET, LANE_FIRST, LOCAL_SET, LANE],
    ...[LOOP, EMPTY],
    ...[LOCAL_GET, AT, I32_LOAD, 2, 0, LOCAL_SET, WORD],
    ...addLane(0),
    ...addLane(1),
    ...addLane(2),
    ...addLane(3),
    ...[LOCAL_GET, AT, I32_CONST, ...sleb(CODES_PER_WORD), I32_ADD, LOCAL_SET, AT],
    ...[LOCAL_GET, LANE, I32_CONST, ...sleb(4 * CODES_PER_WORD), I32_ADD, LOCAL_TEE, LANE],
    ...[LOCAL_GET, LANE_END, I32_LT_U, BR_IF, 0],
    END,
    ...[LOCAL_GET, ROW_AT, I32_CONST, ...sleb(4), I32_ADD, LOCAL_TEE, ROW_AT],
    ...[LOCAL_GET, ROW_END, I32_LT_U, BR_IF, 0],
    END,
    END,
    END,
  ];
  const locals = vector([
    [1, V128],
    [4, I32],
  ]);
  const code = [...locals, ...body];
  const partitionCode = [...vector([[4, I32]]), ...partitionBody()];
  const i32s = (count: number) => vector(Array.from({ length: count }, () => [I32]));
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(
      1,
      vector([
        [0x60, ...i32s(7), 0],
        [0x60, ...i32s(6), ...i32s(1)],
      ]),
    ),
    ...section(2, vector([[...name('e'), ...name('m'), 0x02, 0x00, 0x00]])),
    ...section(3, vector([[0], [1]])),
    ...section(
      7,
      vector([
        [...name('words'), 0x00, 0],
        [...name('partition'), 0x00, 1],
      ]),
    ),
    ...section(
      10,
      vector([
        [...uleb(code.length), ...code],
        [...uleb(partitionCode.length), ...partitionCode],
      ]),
    ),
  ];
  return Uint8Array.from(bytes);
}

type PartitionKernel = (
  rowAt: number,
  rowEnd: number,
  column: number,
  threshold: number,
  missing: number,
  spill: number,
) => number;

type WordsKernel = (
  rowAt: number,
  rowEnd: number,
  gradHess: number,
  codes: number,
  stride: number,
  laneFirst: number,
  laneEnd: number,
) => void;

/** The part of the WebAssembly API used here (the project's TypeScript settings carry no DOM types). */
interface WasmModule {
  readonly kind: 'module';
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
}

let compiled: WasmModule | null | undefined;

function histogramKernel(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    const bytes = histogramModule();
    compiled = api?.validate(bytes) ? new api.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}

const builders = new WeakMap<BinnedMatrix, WasmHistograms | null>();

function align(offset: number, to: number): number {
  return Math.ceil(offset / to) * to;
}

/**
 * Builds histograms on the calling thread with the WebAssembly loop. Its memory holds a copy of the codes, the
 * gradients (`gradHess`, which training fills in place), a copy of the rows of the node being built and one
 * histogram; the result is copied out into the caller's buffer. Feature lists planned byte by byte (a tree
 * offered a subset of features) go through the JavaScript kernel.
 */
export class WasmHistograms implements HistogramBuilder {
  /** Gradient and hessian of every row side by side, in the module's memory: training writes them here. */
  readonly gradHess: Float64Array;
  private readonly kernel: WordsKernel;
  private readonly partitionKernel: PartitionKernel;
  private readonly spillView: Uint32Array;
  private readonly spillAt: number;
  private readonly columnsAt: number;
  private readonly rowsView: Uint32Array;
  private readonly histogramView: Float64Array;
  private readonly words: Uint32Array;
  private readonly rowsAt: number;
  private readonly gradHessAt: number;
  private readonly codesAt: number;
  private readonly lanesAt: number;

  private constructor(
    private readonly matrix: BinnedMatrix,
    module: WasmModule,
  ) {
    const { rowCount, rowStride, featureCount, histogramSlots, histogramOffsets } = matrix;
    const histogramAt = 64;
    this.lanesAt = align(histogramAt + histogramSlots * CELL_BYTES, 16);
    this.gradHessAt = align(this.lanesAt + rowStride * 4, 16);
    this.rowsAt = align(this.gradHessAt + rowCount * CELL_BYTES, 16);
    this.codesAt = align(this.rowsAt + rowCount * 4, 16);
    this.spillAt = align(this.codesAt + rowCount * rowStride, 16);
    this.columnsAt = align(this.spillAt + rowCount * 4, 16);
    const bytes = this.columnsAt + rowCount * featureCount;
    const memory = new (wasmApi().Memory)({ initial: Math.ceil(bytes / PAGE_BYTES) });
    const instance = new (wasmApi().Instance)(module, { e: { m: memory } });
    this.kernel = instance.exports.words as WordsKernel;
    this.partitionKernel = instance.exports.partition as PartitionKernel;
    const buffer = memory.buffer;
    this.histogramView = new Float64Array(buffer, histogramAt, histogramSlots * 2);
    this.gradHess = new Float64Array(buffer, this.gradHessAt, rowCount * 2);
    this.rowsView = new Uint32Array(buffer, this.rowsAt, rowCount);
    new Uint8Array(buffer, this.codesAt, rowCount * rowStride).set(matrix.codes);
    new Uint8Array(buffer, this.columnsAt, rowCount * featureCount).set(matrix.columnCodes);
    this.spillView = new Uint32Array(buffer, this.spillAt, rowCount);
    // Lane k of a row is the byte at offset k (WebAssembly reads words little-endian, whatever the platform).
    const lanes = new Int32Array(buffer, this.lanesAt, rowStride);
    const featureSlots = histogramSlots - (rowStride - featureCount);
    for (let lane = 0; lane < rowStride; lane++) {
      const slot = lane < featureCount ? histogramOffsets[lane]! : featureSlots + lane - featureCount;
      lanes[lane] = histogramAt + slot * CELL_BYTES;
    }
    this.words = codeWords(matrix);
  }

  /**
   * A builder for this matrix, or null where WebAssembly SIMD is missing or the matrix does not fit. The same
   * builder serves every run on the matrix (the folds of cross-validation, the refit): runs are sequential, and
   * each writes the gradients of its rows before it reads them.
   */
  static forMatrix(matrix: BinnedMatrix): WasmHistograms | null {
    const known = builders.get(matrix);
    if (known !== undefined) return known;
    const made = WasmHistograms.make(matrix);
    builders.set(matrix, made);
    return made;
  }

  private static make(matrix: BinnedMatrix): WasmHistograms | null {
    const module = histogramKernel();
    if (module === null) return null;
    const bytes =
      64 +
      matrix.histogramSlots * CELL_BYTES +
      matrix.rowStride * 4 +
      matrix.rowCount * (CELL_BYTES + 8 + matrix.rowStride + matrix.featureCount) +
      96;
    if (bytes > WASM_MEMORY_MAX_BYTES) return null;
    try {
      return new WasmHistograms(matrix, module);
    } catch {
      return null;
    }
  }

  build(
    histogram: Float64Array,
    plan: HistogramPlan,
    rows: Uint32Array,
    start: number,
    end: number,
    gradHess: Float64Array,
  ): void {
    if (!plan.byWords || gradHess !== this.gradHess || end <= start || plan.wordEnd <= plan.wordStart) {
      accumulatePlan(
        histogram,
        this.matrix,
        this.words,
        plan,
        rows,
        start,
        end,
        gradHess,
        0,
        planUnits(plan),
      );
      return;
    }
    this.rowsView.set(rows.subarray(start, end));
    const cells = this.histogramView;
    cells.fill(0);
    const firstLane = plan.wordStart * CODES_PER_WORD;
    const endLane = plan.wordEnd * CODES_PER_WORD;
    this.kernel(
      this.rowsAt,
      this.rowsAt + (end - start) * 4,
      this.gradHessAt,
      this.codesAt + firstLane,
      this.matrix.rowStride,
      this.lanesAt + firstLane * 4,
      this.lanesAt + endLane * 4,
    );
    histogram.set(cells);
  }

  /**
   * Stable partition of `rows[start..end)` by a split, as `tree.ts` does it (the same order on both sides):
   * returns where the right side begins.
   */
  partition(
    rows: Uint32Array,
    start: number,
    end: number,
    feature: number,
    threshold: number,
    missingLeft: boolean,
  ): number {
    const count = end - start;
    this.rowsView.set(rows.subarray(start, end));
    const leftEnd = this.partitionKernel(
      this.rowsAt,
      this.rowsAt + count * 4,
      this.columnsAt + feature * this.matrix.rowCount,
      threshold,
      missingLeft ? 0 : 256,
      this.spillAt,
    );
    const left = (leftEnd - this.rowsAt) / 4;
    rows.set(this.rowsView.subarray(0, left), start);
    rows.set(this.spillView.subarray(0, count - left), start + left);
    return start + left;
  }
}
