// A bilingual template's board text (docs/protocol.md, "Objects"): a text's `texts` and a
// frame's `titles` hold its words in English and Welsh. Each person is shown their own
// language; `text` and `title` stay in the workshop's language, what the record keeps. A
// person who changes the words makes them theirs, in one language: the translations go, as
// board/core/ops.py drops them, so this person's view need not wait for the server to say so.

/** Per object type: the field people read, and the field holding it in each language. */
const TRANSLATED = Object.freeze({ text: ["text", "texts"], frame: ["title", "titles"] });

/**
 * The object as a reader of `lang` sees it: its words in their language, when it has them.
 * @template {Record<string, any>} T
 * @param {T} obj @param {string} lang @returns {T}
 */
export function inLanguage(obj, lang) {
  const pair = /** @type {Record<string, string[]>} */ (TRANSLATED)[obj.type];
  if (!pair) return obj;
  const [field, translations] = pair;
  const words = obj[translations]?.[lang];
  return typeof words === "string" && words !== obj[field] ? { ...obj, [field]: words } : obj;
}

/**
 * The object after a change of its properties: a change to its words drops its translations.
 * @template {Record<string, any>} T
 * @param {T} obj @param {Record<string, any>} props @returns {T}
 */
export function changed(obj, props) {
  const pair = /** @type {Record<string, string[]>} */ (TRANSLATED)[obj.type];
  if (pair && obj[pair[1]] && pair[0] in props) return { ...obj, ...props, [pair[1]]: null };
  return { ...obj, ...props };
}

/**
 * A board's title as a reader of `lang` sees it: a bilingual template names its boards in
 * both languages (settings' `titles`), like its frames; else the title as it is.
 * @param {{title?: string, titles?: Record<string, string> | null}} settings @param {string} lang
 * @returns {string}
 */
export function boardTitle(settings, lang) {
  const words = settings.titles?.[lang];
  return typeof words === "string" && words ? words : String(settings.title ?? "");
}
