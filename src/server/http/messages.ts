/**
 * Messages for people, in the languages the API speaks (decision 0412). The core raises coded errors and
 * the routes raise coded problems; the words are chosen here, at the edge, from the request's
 * `Accept-Language`. A catalogue is data: message code → one template per language, parameters written
 * `{name}`. Each area keeps its own catalogue (`src/server/<area>/messages.ts`); a test reads every
 * catalogue and checks that each code has both languages with the same parameters.
 */

/** The languages of the API's messages; English is the default. */
export type Language = 'en' | 'zh-CN';

export const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];

/** One message in every language: templates with `{name}` parameters. */
export interface Texts {
  readonly en: string;
  readonly zh: string;
}

/** An area's messages, keyed by a code that is stable like a problem code. */
export type Catalogue = Readonly<Record<string, Texts>>;

export type MessageParams = Readonly<Record<string, string | number>>;

/** A message to be put in words at the edge: its code, its texts and the values of its parameters. */
export interface Message {
  readonly key: string;
  readonly texts: Texts;
  readonly params: MessageParams;
}

/** The message `key` of `catalogue` with its parameters (typed: a missing key does not compile). */
export function say<C extends Catalogue>(
  catalogue: C,
  key: keyof C & string,
  params: MessageParams = {},
): Message {
  const texts = catalogue[key];
  if (texts === undefined) throw new Error(`assertion: no message ${key} in the catalogue`);
  return { key, texts, params };
}

/** A message whose English comes from elsewhere (an engine's own sentence) and whose Chinese is `zh`. */
export function withEnglish(key: string, en: string, zh: string, params: MessageParams = {}): Message {
  return { key, texts: { en: literal(en), zh }, params };
}

/** A text as a template that says exactly that text (braces doubled). */
export function literal(text: string): string {
  return text.replaceAll('{', '{{').replaceAll('}', '}}');
}

const PARAM = /\{\{|\}\}|\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;

/** The template's parameter names, in order of first use. */
export function templateParams(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PARAM)) {
    const name = match[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Fills a template. A parameter whose value is a message code of another catalogue is not supported on
 * purpose: a message is one sentence, its parameters are values (ids, amounts, dates, field paths).
 * `{{` and `}}` stand for literal braces.
 */
export function fill(template: string, params: MessageParams): string {
  return template.replace(PARAM, (whole, name: string | undefined) => {
    if (name === undefined) return whole === '{{' ? '{' : '}';
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function render(message: Message, language: Language): string {
  return fill(language === 'zh-CN' ? message.texts.zh : message.texts.en, message.params);
}

/**
 * The language to answer in, from an `Accept-Language` header (RFC 9110 §12.5.4): the supported language
 * with the highest weight, the first listed on a tie; `zh`, `zh-CN`, `zh-Hans`… → zh-CN, `en-*` → en;
 * English when the header is absent, unreadable or names only languages the API does not speak.
 */
export function pickLanguage(header: string | string[] | undefined): Language {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text === undefined || text.length > 1000) return 'en';
  let best: { language: Language; weight: number } | undefined;
  for (const part of text.split(',')) {
    const [tagText = '', ...parameters] = part.trim().split(';');
    const tag = tagText.trim().toLowerCase();
    let weight = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.trim().split('=');
      if (name?.trim() === 'q' && value !== undefined) {
        const q = Number(value.trim());
        weight = Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0;
      }
    }
    if (weight === 0) continue;
    const language: Language | undefined =
      tag === 'zh' || tag.startsWith('zh-')
        ? 'zh-CN'
        : tag === 'en' || tag.startsWith('en-')
          ? 'en'
          : undefined;
    if (language === undefined) continue;
    if (best === undefined || weight > best.weight) best = { language, weight };
  }
  return best?.language ?? 'en';
}
