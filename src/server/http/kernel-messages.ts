import type { Catalogue } from './messages.js';

/**
 * The HTTP kernel's messages: request form, authentication, limits, and the field messages made from
 * schema violations (decision 0412). English and Chinese say the same thing with the same parameters.
 */
export const KERNEL_MESSAGES = {
  fix_fields: { en: 'Fix these fields and send again: {fields}', zh: '请修改以下字段后重新发送：{fields}' },
  fix_field: { en: 'Fix this field and send again: {fields}', zh: '请修改此字段后重新发送：{fields}' },
  idempotency_key_missing: {
    en: 'Every write needs an "Idempotency-Key" header: a fresh unique value (a UUID will do) per intended change, reused only to retry that change.',
    zh: '每个写操作都需要 "Idempotency-Key" 请求头：每次变更用一个新的唯一值（UUID 即可），只在重试同一变更时重复使用。',
  },
  required_on_writes: { en: 'is required on every write', zh: '每个写操作都必须提供' },
  idempotency_key_invalid: {
    en: 'The Idempotency-Key header must be 1 to {max} characters of letters, digits and _ . : - (a UUID will do).',
    zh: 'Idempotency-Key 请求头须为 1 至 {max} 个字母、数字或 _ . : - 字符（UUID 即可）。',
  },
  idempotency_key_chars: {
    en: 'letters, digits and _ . : - only, one header',
    zh: '只能含字母、数字和 _ . : -，且只能有一个该请求头',
  },
  idempotency_key_reused: {
    en: 'Idempotency-Key "{key}" was first used for a different request (it differs at {paths}). Send the first request unchanged to get its response again, or use a new key for a new request.',
    zh: 'Idempotency-Key "{key}" 已用于另一个请求（不同之处：{paths}）。原样重发第一个请求可再次得到其响应；新的请求请用新的键。',
  },
  differs_from_first: {
    en: 'differs from the first request sent with this Idempotency-Key',
    zh: '与使用此 Idempotency-Key 的第一个请求不同',
  },
  // Schema violations, one per JSON-schema keyword.
  field_required: { en: 'is required', zh: '必填' },
  field_unknown: {
    en: 'is not a known field; remove it (check the spelling against /openapi.json)',
    zh: '不是已知字段；请删除（对照 /openapi.json 检查拼写）',
  },
  field_type: { en: 'must be of type {type}', zh: '类型须为 {type}' },
  field_enum: { en: 'must be one of: {values}', zh: '须为以下之一：{values}' },
  field_max_length: { en: 'must be at most {limit} characters long', zh: '长度不得超过 {limit} 个字符' },
  field_min_length: { en: 'must be at least {limit} characters long', zh: '长度至少 {limit} 个字符' },
  field_max_items: { en: 'must have at most {limit} items', zh: '最多 {limit} 项' },
  field_min_items: { en: 'must have at least {limit} items', zh: '至少 {limit} 项' },
  field_maximum: { en: 'must be at most {limit}', zh: '不得大于 {limit}' },
  field_minimum: { en: 'must be at least {limit}', zh: '不得小于 {limit}' },
  field_invalid: { en: 'is not valid', zh: '无效' },
  field_pattern_unknown: {
    en: "has the wrong form; see the field's pattern in /openapi.json",
    zh: '格式不正确；字段格式见 /openapi.json',
  },
  field_pattern: {
    en: "has the wrong form: must be {en_words} (the field's pattern is in /openapi.json)",
    zh: '格式不正确：须为{zh_words}（字段格式见 /openapi.json）',
  },
  field_id_form: {
    en: 'has the wrong form: no such {en_noun} ({en_noun} ids are a short prefix, "_" and 28 hex digits, as the API gave them out)',
    zh: '格式不正确：没有这个{zh_noun}（{zh_noun}编号由短前缀、"_" 和 28 位十六进制数字组成，以 API 给出的为准）',
  },
  field_control_characters: {
    en: 'holds a control character (such as NUL); send printable text only',
    zh: '含有控制字符（如 NUL）；请只发送可打印的文本',
  },
  amount_field: { en: '{name} {en_fault}', zh: '{name} {zh_fault}' },
  amount_above_zero: {
    en: 'must be above 0.00; send the amount in yuan, e.g. "100.00"',
    zh: '必须大于 0.00；请以元为单位发送金额，例如 "100.00"',
  },
  // Request form.
  json_invalid: {
    en: 'The body is not valid JSON ({reason}); send one JSON object.',
    zh: '请求体不是有效的 JSON（{reason}）；请发送一个 JSON 对象。',
  },
  json_empty: {
    en: 'The body is empty but Content-Type says JSON; send one JSON object.',
    zh: '请求体为空，但 Content-Type 声明为 JSON；请发送一个 JSON 对象。',
  },
  json_key_refused: {
    en: 'The body holds the key "{key}", which is not accepted anywhere. Remove that key.',
    zh: '请求体含有键 "{key}"，任何接口都不接受它。请删除该键。',
  },
  json_refused: {
    en: 'The body was refused: {reason}. Remove that key.',
    zh: '请求体被拒绝：{reason}。请删除该键。',
  },
  body_too_large: {
    en: 'The body is larger than {max} bytes; send less.',
    zh: '请求体超过 {max} 字节；请减少发送内容。',
  },
  body_too_deep: {
    en: 'The body nests objects and arrays more than {max} levels deep; no request needs that many.',
    zh: '请求体中对象和数组嵌套超过 {max} 层；没有请求需要这么多层。',
  },
  nested_too_deep: { en: 'is nested more than {max} levels deep', zh: '嵌套超过 {max} 层' },
  media_type: {
    en: 'Send the body as JSON with "Content-Type: application/json".',
    zh: '请以 JSON 发送请求体，并带 "Content-Type: application/json"。',
  },
  content_length: {
    en: 'The Content-Length header does not match the body; send it again.',
    zh: 'Content-Length 请求头与请求体不符；请重新发送。',
  },
  no_body_route: {
    en: '{method} {route} takes no body; send none (or {{}}).',
    zh: '{method} {route} 不接受请求体；请不发送（或发送 {{}}）。',
  },
  no_body_field: { en: 'is not accepted on this route; send no body', zh: '此路由不接受请求体；请不发送' },
  // Who may do what.
  token_missing: {
    en: 'Send an API token in the header "Authorization: Bearer <token>"; an admin creates tokens (lendguard users create).',
    zh: '请在请求头 "Authorization: Bearer <token>" 中发送 API 令牌；令牌由管理员创建（lendguard users create）。',
  },
  token_invalid: {
    en: 'The API token is unknown, revoked or expired, or the header is not "Authorization: Bearer <token>"; ask an admin for a new token.',
    zh: 'API 令牌未知、已吊销或已过期，或请求头不是 "Authorization: Bearer <token>"；请向管理员申请新令牌。',
  },
  role_forbidden: {
    en: 'Your role {role} may not {method} {route}; it needs {roles}.',
    zh: '你的角色 {role} 无权执行 {method} {route}；需要 {roles}。',
  },
  pii_forbidden: {
    en: 'Your role {role} may not see unmasked personal data; drop ?unmask=true to get the masked view.',
    zh: '你的角色 {role} 无权查看未脱敏的个人信息；去掉 ?unmask=true 即可查看脱敏视图。',
  },
  unmask_not_allowed: { en: 'not allowed for your role', zh: '你的角色不允许' },
  // Where things are.
  route_not_found: {
    en: 'There is no route {method} {path}; see /docs for the list.',
    zh: '没有路由 {method} {path}；路由列表见 /docs。',
  },
  file_not_found: { en: 'There is no file {path}.', zh: '没有文件 {path}。' },
  path_outside: {
    en: 'The path leads outside the folder of files served here; it is not served.',
    zh: '该路径指向所提供文件的文件夹之外；不予提供。',
  },
  cursor_invalid: {
    en: 'The cursor is not one this API gave out; pass nextCursor from the previous page unchanged, or omit it to start over.',
    zh: '该游标不是本 API 给出的；请原样传入上一页的 nextCursor，或省略它从头开始。',
  },
  cursor_not_of_list: { en: 'not a cursor from this list', zh: '不是此列表的游标' },
  // Load and failures.
  internal_error: {
    en: 'Something failed inside the server; quote request id {requestId} when reporting it.',
    zh: '服务器内部出错；报告时请注明请求编号 {requestId}。',
  },
  concurrent_change: {
    en: 'Another request changed the same record at the same time; send yours again.',
    zh: '另一个请求同时修改了同一记录；请重新发送你的请求。',
  },
  database_unavailable: {
    en: 'The database cannot be reached or has no free connection now; try again in {seconds} s.',
    zh: '目前无法连接数据库或没有空闲连接；请 {seconds} 秒后重试。',
  },
  server_overloaded: {
    en: 'The server is working on {max} requests; try again in {seconds} s.',
    zh: '服务器正在处理 {max} 个请求；请 {seconds} 秒后重试。',
  },
  server_busy: {
    en: '{max} {en_what} are already waiting; send this one again in a second with the same Idempotency-Key.',
    zh: '已有 {max} 个请求在等待；请一秒后用同一个 Idempotency-Key 重新发送。',
  },
  write_conflict_repeated: {
    en: 'The change met {attempts} concurrent changes to the same records in a row; send it again with the same Idempotency-Key.',
    zh: '该变更连续 {attempts} 次遇到对同一记录的并发修改；请用同一个 Idempotency-Key 重新发送。',
  },
  rate_limited: {
    en: 'Too many requests: {reason}; try again in {seconds} s.',
    zh: '请求过于频繁：{reason}；请 {seconds} 秒后重试。',
  },
  rate_limited_auth: {
    en: 'Too many requests with a missing or wrong API token from your address ({max} in {window} s); wait and send a valid token.',
    zh: '您的地址发出缺失或错误 API 令牌的请求过多（{window} 秒内 {max} 次）；请稍候并使用有效令牌。',
  },
  rate_limited_token: {
    en: 'This API token sent more than {max} requests in {window} s; wait {seconds} s and slow down.',
    zh: '该 API 令牌在 {window} 秒内发出的请求超过 {max} 次；请等待 {seconds} 秒并放慢速度。',
  },
} as const satisfies Catalogue;
