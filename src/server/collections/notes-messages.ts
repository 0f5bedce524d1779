/** Messages of a case's notes (催记) and documents (decision 0755). */
export const CASE_NOTES_MESSAGES = {
  not_your_case: {
    en: 'case {caseId} is assigned to another collector: its notes and documents are for the collector who works it',
    zh: '案件 {caseId} 已分派给其他催收员：其催记和文件仅供负责该案件的催收员查看和添加',
  },
  note_text_blank: { en: 'must say something besides spaces', zh: '不能只有空白' },
  corrected_note_unknown: {
    en: 'must be the id of an earlier note of this case',
    zh: '须为本案件中较早一条催记的编号',
  },
  document_not_found: {
    en: 'case {caseId} has no document {documentId}',
    zh: '案件 {caseId} 没有文件 {documentId}',
  },
  document_invalid: { en: '{en_fault}', zh: '{zh_fault}' },
  document_base64: { en: 'is not base64', zh: '不是 base64 编码' },
  document_empty: { en: 'is empty', zh: '为空' },
  document_too_big: {
    en: 'is {bytes} bytes decoded; at most {max} bytes are kept',
    zh: '解码后为 {bytes} 字节，最多接收 {max} 字节',
  },
  document_type: {
    en: 'is not a PDF, PNG or JPEG (its first bytes are {seen})',
    zh: '不是 PDF、PNG 或 JPEG 文件（开头字节为 {seen}）',
  },
} as const;
