/**
 * JSON text in pieces: the text `JSON.stringify(value, null, indent)` gives, produced a piece at a time, so a
 * value whose text passes the longest string V8 can hold (about 512 MiB: the ECL report of a million-loan
 * book, one row per exposure) can still be written out. Plain data only, as reports are: arrays, objects
 * whose prototype is Object's or null, and leaves; any other object (a Date, one with `toJSON`) is written as
 * JSON.stringify writes it. Hand-written: the libraries that stream JSON out take a Node stream per value and
 * do not promise JSON.stringify's exact text, which the commands' output and the API's bodies keep.
 */

/** Pieces of about this many UTF-16 units (the last may be shorter). */
export const JSON_PIECE_CHARS = 1 << 16;

interface Sink {
  parts: string[];
  size: number;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/** Whether an object's values are all leaves (its text is short: written in one call). */
function isFlat(value: Record<string, unknown>): boolean {
  for (const key in value) {
    const v = value[key];
    if (typeof v === 'object' && v !== null) return false;
  }
  return true;
}

/** A property or element JSON.stringify leaves out of an object (undefined, a function, a symbol). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function put(sink: Sink, text: string): void {
  sink.parts.push(text);
  sink.size += text.length;
}

function take(sink: Sink): string {
  const text = sink.parts.join('');
  sink.parts = [];
  sink.size = 0;
  return text;
}

/** The value's text at a nesting whose line prefix is `pad` (JSON.stringify's text, re-indented). */
function leafText(value: unknown, indent: string, pad: string): string {
  const text = JSON.stringify(value, null, indent) ?? 'null';
  return pad === '' || !text.includes('\n') ? text : text.replaceAll('\n', `\n${pad}`);
}

function* pieces(sink: Sink, value: unknown, indent: string, pad: string): Generator<string> {
  if (sink.size >= JSON_PIECE_CHARS) yield take(sink);
  if (typeof value !== 'object' || value === null || (!Array.isArray(value) && !isPlainObject(value))) {
    put(sink, leafText(value, indent, pad));
    return;
  }
  const inner = pad + indent;
  const open = indent === '' ? '' : `\n${inner}`;
  const between = indent === '' ? ',' : `,\n${inner}`;
  const close = indent === '' ? '' : `\n${pad}`;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      put(sink, '[]');
      return;
    }
    put(sink, `[${open}`);
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) put(sink, between);
      const element: unknown = isOmitted(value[i]) ? null : value[i];
      yield* pieces(sink, element, indent, inner);
    }
    put(sink, `${close}]`);
    return;
  }
  if (isFlat(value)) {
    put(sink, leafText(value, indent, pad));
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (isOmitted(v)) continue;
    put(sink, first ? `{${open}` : between);
    first = false;
    put(sink, `${JSON.stringify(key)}:${indent === '' ? '' : ' '}`);
    yield* pieces(sink, v, indent, inner);
  }
  put(sink, first ? '{}' : `${close}}`);
}

/**
 * The text of `JSON.stringify(value, null, indent)` in pieces of about JSON_PIECE_CHARS, joined the same
 * text. `indent` is a number of spaces (0: no whitespace), as JSON.stringify takes it (at most 10).
 */
export function* jsonTextPieces(value: unknown, indent = 0): Generator<string> {
  const sink: Sink = { parts: [], size: 0 };
  yield* pieces(sink, value, ' '.repeat(Math.min(10, Math.max(0, Math.trunc(indent)))), '');
  if (sink.size > 0) yield take(sink);
}
