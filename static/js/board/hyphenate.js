// Where a note's words may break, in the note's language (issue 18).
//
// Debian's Chromium ships no hyphenation dictionaries, so CSS `hyphens: auto` does nothing
// there (checked: a narrow paragraph is exactly as tall with it as without). Instead the
// vendored `hyphen` package (TeX patterns for British English and Welsh, static/js/vendor)
// puts soft hyphens into the text as it is drawn: never into what is stored, typed or copied.
// Its files are classic scripts (UMD), loaded once on first need; until a language's
// patterns have arrived its words do not break at all (the font shrinks instead), and
// `hyphenation` says "ready" so notes can be drawn again.

export const SOFT_HYPHEN = "\u00AD";

/** @typedef {"en" | "cy"} Language */

const VENDOR = new URL("../vendor/", import.meta.url);
/** @type {Record<Language, {file: string, global: string}>} */
const PATTERNS = {
  en: { file: "hyphen-patterns-en-gb.js", global: "hyphenationPatternsEnGb" },
  cy: { file: "hyphen-patterns-cy.js", global: "hyphenationPatternsCy" },
};

/** Dispatches "ready" ({detail: {lang}}) when a language's patterns have loaded (and
 * <html data-hyphenation> lists the languages loaded, for tests to wait on). */
export const hyphenation = new EventTarget();

/** @type {Map<Language, (text: string) => string>} */
const hyphenators = new Map();
/** @type {Map<string, Promise<boolean>>} */
const scripts = new Map();

/** Load a vendored classic script once (CSP allows scripts from this site). @param {string} file */
function script(file) {
  let loading = scripts.get(file);
  if (!loading) {
    loading = new Promise((resolve) => {
      const add = () => {
        const tag = document.createElement("script");
        tag.src = new URL(file, VENDOR).href;
        tag.onload = () => resolve(true);
        tag.onerror = () => resolve(false);
        document.head.append(tag);
      };
      // After the page has loaded: the patterns (about 150 kB) never hold up the page itself.
      if (document.readyState === "complete") add();
      else window.addEventListener("load", add, { once: true });
    });
    scripts.set(file, loading);
  }
  return loading;
}

/** Make `lang`'s hyphenator available (resolves false when it could not be loaded). @param {Language} lang */
export async function loadHyphenation(lang) {
  if (hyphenators.has(lang)) return true;
  const { file, global } = PATTERNS[lang];
  const [engine, patterns] = await Promise.all([script("hyphen.js"), script(file)]);
  const scope = /** @type {any} */ (window);
  if (!engine || !patterns || !scope.createHyphenator || !scope[global]) return false;
  if (!hyphenators.has(lang)) {
    hyphenators.set(lang, scope.createHyphenator(scope[global]));
    document.documentElement.dataset.hyphenation = [...hyphenators.keys()].sort().join(" ");
    hyphenation.dispatchEvent(new CustomEvent("ready", { detail: { lang } }));
  }
  return true;
}

/**
 * `text` with soft hyphens at its words' hyphenation points, or null while the language's
 * patterns are still loading (asking starts the loading).
 * @param {string} text @param {Language} lang
 */
export function hyphenate(text, lang) {
  const hyphenator = hyphenators.get(lang);
  if (!hyphenator) {
    void loadHyphenation(lang);
    return null;
  }
  return hyphenator(text);
}

// Words that say which language a note is in: frequent short words of each, none shared.
const WELSH = new Set(
  ("ac ar y yr yn mae ein eich ei eu gyda ddim dim wedi bod hefyd mwy sydd ni chi nhw neu fel gan ond " +
    "pobl hyn hynny cael gael gyfer ydy yw oes fydd bydd dylai angen rhagor mewn gwaith trwy drwy rhaid " +
    "gwell lle pan beth pam sut yma yno iawn da hen newydd cymuned gymuned cyngor ysgol plant lleol")
    .split(" "),
);
const ENGLISH = new Set(
  ("the and of to is are for with that this it we more be on our you they should not have can will " +
    "from by at as was were there their about people community council local would could need into")
    .split(" "),
);

/**
 * The language a note is written in: told by its words (Welsh letters such as ŵ and ŷ, letters
 * Welsh does not use such as k and v, endings such as -ing and -tion, or the short words of
 * each language), else `fallback` (the reader's page language). board/core/hyphenation.py's
 * text_language tells it the same way, for the report.
 * @param {string} text @param {Language} fallback @returns {Language}
 */
export function noteLanguage(text, fallback) {
  let welsh = 0;
  let english = 0;
  for (const word of text.toLowerCase().split(/[^\p{L}'’]+/u)) {
    if (!word) continue;
    if (/[ŵŷâêîôû]/.test(word)) welsh += 2;
    else if (/dd|wy|yw|iad$|aeth$/.test(word)) welsh += 1;
    // Letters the Welsh alphabet does not have, and English endings no Welsh word has.
    if (/[kqvxz]|ing$|tion$|ness$|ities$|ity$|ment$|ship$|ful$|less$/.test(word)) english += 1;
    if (WELSH.has(word)) welsh += 1;
    if (ENGLISH.has(word)) english += 1;
  }
  if (welsh > english) return "cy";
  if (english > welsh) return "en";
  return fallback;
}

/**
 * A note's words as drawn in a line of text elsewhere (a dashboard label quoting it): with
 * soft hyphens in the note's language, guessed from its words (else `fallback`), or as they
 * are while that language's patterns load (listen for "ready" to draw them again). The
 * printable report does the same on the server (`drawn`, board/core/hyphenation.py).
 * @param {string} text @param {Language} fallback @returns {string}
 */
export function drawn(text, fallback) {
  return hyphenate(text, noteLanguage(text, fallback)) ?? text;
}
