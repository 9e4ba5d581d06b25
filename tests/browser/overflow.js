// Measured in the page by tests/browser/overflow.py (issue 18): see its docstring.
() => {
  const problems = [];
  let notes = 0;
  let labels = 0;
  const TOLERANCE = 1;
  const say = (el, what) => {
    const text = (el.textContent || "").replace(/\u00AD/g, "").replace(/\s+/g, " ").trim().slice(0, 60);
    problems.push(`${what}: <${el.tagName.toLowerCase()} class="${el.className}"> "${text}"`);
  };
  const shown = (el) => {
    if (el.closest("[hidden], .visually-hidden")) return false;
    // Hidden from screen readers but seen: a gallery's picture (its words are read as a list).
    const muted = el.closest("[aria-hidden='true']");
    if (muted && !muted.matches(".gallery-picture")) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const box = el.getBoundingClientRect();
    // Wholly above or left of the page (a skip link until it has focus): nobody sees it cut.
    // What is below the fold is looked at: the page scrolls to it.
    const away = box.right + scrollX <= 0 || box.bottom + scrollY <= 0;
    return box.width >= 2 && box.height >= 2 && !(away && !el.closest("#world"));
  };
  const inside = (r, box) => r.left >= box.left - TOLERANCE && r.right <= box.right + TOLERANCE
    && r.top >= box.top - TOLERANCE && r.bottom <= box.bottom + TOLERANCE;
  const meets = (a, b) => a.left < b.right - TOLERANCE && b.left < a.right - TOLERANCE
    && a.top < b.bottom - TOLERANCE && b.top < a.bottom - TOLERANCE;
  const clips = (style) => [style.overflowX, style.overflowY].some((v) => v === "hidden" || v === "clip");
  const scrolls = (style) => [style.overflowX, style.overflowY].some((v) => v === "auto" || v === "scroll");
  const lineRects = (node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
  };
  // A line that starts inside a word: the last character before it is a letter or digit,
  // with no space, soft hyphen, hyphen or dash in between.
  const midWord = (node) => {
    const text = node.data;
    const range = document.createRange();
    let lastTop = null;
    let lastHeight = 0;
    let gap = true;
    for (let i = 0; i < text.length; i += 1) {
      const c = text[i];
      if (/\s/.test(c) || c === "\u00AD" || /[-\u2010-\u2015\/]/.test(c)) {
        gap = true;
        continue;
      }
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      // The last box: a character just after a break may also report an empty one at the
      // end of the line before.
      const r = [...range.getClientRects()].filter((box) => box.width > 0).pop();
      if (!r || r.height === 0) continue;
      if (lastTop !== null && r.top > lastTop + lastHeight / 2 && !gap) return text.slice(Math.max(0, i - 12), i) + "|" + text.slice(i, i + 12);
      lastTop = r.top;
      lastHeight = r.height;
      gap = false;
    }
    return null;
  };
  const textNodes = (el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.data.trim());

  // Notes: the text fits its box or says "Read more" (in a gallery's picture: ends with an
  // ellipsis, data-more); chips beside it, never over it.
  for (const note of document.querySelectorAll("#world .item.note, .gallery-stage .gallery-note")) {
    if (!shown(note)) continue;
    notes += 1;
    const text = note.querySelector(".note-text, .gallery-note-text");
    const box = note.getBoundingClientRect();
    const more = note.querySelector(".note-more");
    const saysMore = (more !== null && shown(more)) || (note.matches(".gallery-note") && note.hasAttribute("data-more"));
    if (text.scrollWidth > text.clientWidth + TOLERANCE) say(text, "note text wider than its note");
    if (text.scrollHeight > text.clientHeight + TOLERANCE && !saysMore) say(text, "note text cut off without \"Read more\"");
    const visible = text.getBoundingClientRect();
    const lines = textNodes(text).flatMap(lineRects).filter((r) => meets(r, visible));
    for (const node of textNodes(text)) {
      const where = midWord(node);
      if (where) say(text, `note text broken mid-word at "${where}"`);
    }
    for (const chip of note.querySelectorAll(".note-foot .tag, .note-foot .note-category, .note-foot .note-raised, .note-foot .vote-count, .note-foot .note-more, .item-tags .tag, .vote-count")) {
      if (!shown(chip)) continue;
      const r = chip.getBoundingClientRect();
      if (!inside(r, box)) say(chip, "chip sticks out of its note");
      if (lines.some((line) => meets(line, r))) say(chip, "chip covers the note's text");
      if (chip.scrollWidth > chip.clientWidth + TOLERANCE) say(chip, "chip text cut off");
    }
  }

  // Every other label: its text inside its own box when that clips, and inside the nearest
  // ancestor that clips it, whole words on every line.
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("#world, .gallery-stage .gallery-note, script, style, svg, canvas, textarea, select, input, option, .overview")) continue;
    const own = textNodes(el);
    if (!own.length || !shown(el)) continue;
    labels += 1;
    const style = getComputedStyle(el);
    if (clips(style) && !scrolls(style)) {
      if (el.scrollWidth > el.clientWidth + TOLERANCE || el.scrollHeight > el.clientHeight + TOLERANCE) {
        say(el, "label cut off by its own box");
        continue;
      }
    }
    let clipper = el.parentElement;
    while (clipper && clipper !== document.documentElement) {
      const s = getComputedStyle(clipper);
      if (scrolls(s) && clipper !== document.body) { clipper = null; break; }
      if (clips(s)) break;
      clipper = clipper.parentElement;
    }
    if (clipper && clipper !== document.documentElement) {
      const limit = clipper.getBoundingClientRect();
      if (own.flatMap(lineRects).some((r) => !inside(r, limit))) say(el, "label cut off by a box around it");
    }
    for (const node of own) {
      const where = midWord(node);
      if (where) say(el, `label broken mid-word at "${where}"`);
    }
  }
  // The page itself: never wider than the window (no sideways scrolling).
  if (document.documentElement.scrollWidth > innerWidth + TOLERANCE) {
    const wide = [...document.body.querySelectorAll("*")].find((el) => el.getBoundingClientRect().right > innerWidth + TOLERANCE && shown(el) && !el.closest("#world, .canvas"));
    problems.push(`page scrolls sideways (${document.documentElement.scrollWidth} px in ${innerWidth})` + (wide ? `: <${wide.tagName.toLowerCase()} id="${wide.id}" class="${wide.className}">` : ""));
  }
  return { problems, notes, labels };
}
