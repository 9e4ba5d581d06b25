// Building DOM without HTML strings: user text only ever goes in through textContent.

/**
 * @typedef {Record<string, string | number | boolean | null | undefined | EventListener>} Attrs
 * Keys starting with "on" attach listeners; `class` sets className; `dataset` entries use the
 * `data-` prefix; true sets an empty attribute, false/null/undefined leave it out.
 */

/**
 * An element with attributes and, optionally, text (set with textContent, never parsed).
 * @param {string} tag
 * @param {Attrs} [attrs]
 * @param {string | null} [text]
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  if (text !== null && text !== undefined) node.textContent = text;
  return node;
}

const SVG = "http://www.w3.org/2000/svg";

/**
 * An SVG element (no text: SVG labels go through `<title>` or textContent by the caller).
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}) {
  const node = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

/** @param {Element} node @param {Attrs} attrs */
export function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      node.className = String(value ?? "");
    } else if (value === true) {
      node.setAttribute(name, "");
    } else if (value === false || value === null || value === undefined) {
      node.removeAttribute(name);
    } else {
      node.setAttribute(name, String(value));
    }
  }
}

/**
 * Append children, skipping null.
 * @param {Element} parent
 * @param {...(Node | null | undefined | false)} children
 * @returns {Element}
 */
export function append(parent, ...children) {
  for (const child of children) if (child) parent.append(child);
  return parent;
}

/** Set text only when it changed (keeps selection and avoids layout work). */
export function setText(/** @type {Node} */ node, /** @type {string} */ text) {
  if (node.textContent !== text) node.textContent = text;
}
