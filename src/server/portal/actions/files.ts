import { createHash } from 'node:crypto';
import type { UploadedFile } from '../../../store/index.js';
import { say } from '../../http/messages.js';
import { fieldProblem, ProblemError } from '../../http/problem.js';
import { PORTAL_ACTION_MESSAGES } from './messages.js';

/**
 * A file a borrower uploads (income evidence, statements), sent as JSON with base64 content as the health
 * reviews' documents are (decision 0646). Its type is read from its first bytes, never from its name or a
 * declared type: only PDF, PNG and JPEG are kept, at most `PORTAL_FILE_BYTES_MAX` bytes decoded. It is kept
 * in the database as bytes with its SHA-256, and served to staff only as an attachment of its sniffed type.
 */
export const PORTAL_FILE_BYTES_MAX = 512 * 1024;

export const fileSchema = {
  type: 'object',
  required: ['name', 'contentBase64'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 120, pattern: '^[^/\\\\\\u0000-\\u001f]+$' },
    contentBase64: {
      type: 'string',
      minLength: 4,
      maxLength: Math.ceil(PORTAL_FILE_BYTES_MAX / 3) * 4,
      description: `The file, base64; PDF, PNG or JPEG, at most ${PORTAL_FILE_BYTES_MAX} bytes decoded`,
    },
  },
} as const;

export interface FileBody {
  name: string;
  contentBase64: string;
}

const SIGNATURES: readonly { type: string; bytes: readonly number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/** The file's type by its first bytes, or undefined for any other content. */
export function sniffType(content: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => content[i] === b))?.type;
}

function refuse(
  path: string,
  key: keyof typeof PORTAL_ACTION_MESSAGES,
  params: Record<string, string | number> = {},
) {
  const text = say(PORTAL_ACTION_MESSAGES, key, params);
  return new ProblemError(
    'file_invalid',
    say(PORTAL_ACTION_MESSAGES, 'file_invalid', {
      en_fault: `${path} ${PORTAL_ACTION_MESSAGES[key].en.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''))}`,
      zh_fault: `${path} ${PORTAL_ACTION_MESSAGES[key].zh.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''))}`,
    }),
    [fieldProblem(path, text)],
  );
}

/** The decoded, checked file, or a `file_invalid` problem naming the field. */
export function readUpload(body: FileBody, path: string): UploadedFile {
  const text = body.contentBase64;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    throw refuse(`${path}/contentBase64`, 'file_base64');
  const content = Buffer.from(text, 'base64');
  if (content.length === 0) throw refuse(`${path}/contentBase64`, 'file_empty');
  if (content.length > PORTAL_FILE_BYTES_MAX)
    throw refuse(`${path}/contentBase64`, 'file_too_big', { max: PORTAL_FILE_BYTES_MAX });
  const type = sniffType(content);
  if (type === undefined)
    throw refuse(`${path}/contentBase64`, 'file_type', { seen: content.subarray(0, 4).toString('hex') });
  return { name: body.name, type, content, sha256: createHash('sha256').update(content).digest('hex') };
}
