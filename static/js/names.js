// The made-up names beside cursors and in the facilitator's list of people ("Teal Heron"),
// in the reader's language. The server makes each name from two English words (a colour and
// a creature, board/core/names.py) and keeps only that; every page shows it in its own
// language from the word lists in board/i18n/catalogue/names.json: in Welsh the creature comes
// first and the colour follows in the form that agrees with it ("Crëyr Gwyrddlas", "Tylluan
// Werdd": after a feminine creature, listed as `names.creature_f.*`, the colour's mutated
// form `names.colour_f.*`). A name chosen by a person, or any name not made of two listed
// words, is shown exactly as it is.

import { t } from "./i18n.js";

/** Two capitalised words: the shape of every made-up name. */
const MADE_UP = /^([A-Z][a-z]+) ([A-Z][a-z]+)$/;

/** Whether the page's catalogue has `key` (t() gives the key back for a missing one). @param {string} key */
const known = (key) => t(key) !== key;

/** @param {string} name as the server sends it @returns {string} as this page's reader reads it */
export function displayName(name) {
  const match = MADE_UP.exec(name);
  if (!match) return name;
  const colour = match[1].toLowerCase();
  const creature = match[2].toLowerCase();
  const feminine = known(`names.creature_f.${creature}`);
  if (!known(`names.colour.${colour}`) || !(feminine || known(`names.creature.${creature}`))) return name;
  return t("names.name", {
    colour: t(`names.${feminine ? "colour_f" : "colour"}.${colour}`),
    creature: t(`names.${feminine ? "creature_f" : "creature"}.${creature}`),
  });
}
