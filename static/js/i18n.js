// The page's strings, in the language the server chose (board/i18n.py). User text never goes
// through here: these are our own words, inserted with textContent like everything else.

/** @type {Record<string, string>} */
let strings = {};
let plurals = new Intl.PluralRules("en");

/** @param {string} lang @param {Record<string, string>} catalogue */
export function useStrings(lang, catalogue) {
  strings = catalogue;
  plurals = new Intl.PluralRules(lang);
}

/**
 * One string with its {placeholders} filled. A missing key shows the key itself, so a gap is
 * visible rather than silent (tests/test_i18n.py keeps the catalogue complete).
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 */
export function t(key, values = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{([a-z_][a-z0-9_]*)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/**
 * A string that depends on a count: `key.one`, `key.two`, `key.few`... as the language's
 * plural rules choose, falling back to `key.other`. `{count}` is filled in.
 * @param {string} key
 * @param {number} count
 * @param {Record<string, string | number>} [values]
 */
export function tn(key, count, values = {}) {
  const form = `${key}.${plurals.select(count)}`;
  return t(form in strings ? form : `${key}.other`, { count, ...values });
}

/** The page's language, for Intl formatting. */
export function language() {
  return document.documentElement.lang || "en";
}
