// The withdrawal page: a code in, the holder's contributions out, some or all taken back.
// The code stays in this closure (never in the address bar or storage); every request sends it
// again, and the server answers a wrong or expired code with one message that tells nothing.
import { el, append, setText } from "../dom.js";
import { t, tn } from "../i18n.js";

/**
 * @typedef {{item: string, board: number, given_on: number | null, kind: string, text: string, created_at: string}} Item
 * @typedef {{workshop: {title: string}, until: string, items: Item[], withdrawn?: number}} Holding
 */

const KINDS = Object.freeze({
  note: "withdraw.kind_note",
  comment: "withdraw.kind_comment",
  vote: "withdraw.kind_vote",
  pollword: "withdraw.kind_pollword",
});

/** @param {Document} doc */
export function mountWithdraw(doc) {
  const form = /** @type {HTMLFormElement} */ (doc.getElementById("code-form"));
  const input = /** @type {HTMLInputElement} */ (doc.getElementById("code"));
  const status = doc.getElementById("status");
  /** @type {string | null} */
  let code = null;

  function say(text, problem = false) {
    setText(status, text);
    status.classList.toggle("problem", problem);
  }

  const choice = mountChoice(doc, { say, code: () => code });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const typed = input.value.trim();
    if (!typed) {
      say(t("withdraw.wrong_code"), true);
      return;
    }
    say("");
    const answer = await post("/api/withdrawal", { code: typed });
    if (answer.status !== 200) {
      doc.getElementById("found").hidden = true;
      code = null;
      say(refused(answer), true);
      return;
    }
    code = typed;
    choice.show(answer.data);
    doc.getElementById("found-title").focus();
  });
}

/**
 * What the code holds, ticked and taken back: some or all, each time after "Are you sure?".
 * @param {Document} doc
 * @param {{say: (text: string, problem?: boolean) => void, code: () => string | null}} page
 * @returns {{show: (holding: Holding) => void}}
 */
function mountChoice(doc, page) {
  const { say } = page;
  const list = doc.getElementById("item-list");
  const itemsForm = /** @type {HTMLFormElement} */ (doc.getElementById("items-form"));
  const selectAll = /** @type {HTMLInputElement} */ (doc.getElementById("select-all"));

  /** @param {Holding} holding */
  function show(holding) {
    doc.getElementById("found").hidden = false;
    setText(doc.getElementById("workshop"), t("withdraw.workshop", { title: holding.workshop.title }));
    setText(doc.getElementById("until"), t("withdraw.until", { date: longDate(holding.until) }));
    list.replaceChildren(...holding.items.map(itemRow));
    const empty = holding.items.length === 0;
    doc.getElementById("nothing").hidden = !empty;
    itemsForm.hidden = empty;
    selectAll.checked = false;
    confirm.hide();
  }

  const confirm = mountConfirm(doc, page, show);

  selectAll.addEventListener("change", () => {
    for (const box of list.querySelectorAll("input[name=item]")) box.checked = selectAll.checked;
  });

  itemsForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const items = [...list.querySelectorAll("input[name=item]:checked")].map((box) => box.value);
    if (items.length === 0) {
      say(t("withdraw.none_ticked"), true);
      return;
    }
    say("");
    confirm.ask(false, items, items.length);
  });

  doc.getElementById("withdraw-all").addEventListener("click", () => {
    say("");
    confirm.ask(true, [], list.querySelectorAll("input[name=item]").length);
  });

  return { show };
}

/**
 * "Are you sure?" before anything is taken back; yes sends it, and what is left is shown.
 * @param {Document} doc
 * @param {{say: (text: string, problem?: boolean) => void, code: () => string | null}} page
 * @param {(holding: Holding) => void} show
 */
function mountConfirm(doc, page, show) {
  const confirmBox = doc.getElementById("confirm");
  /** @type {{all: boolean, items: string[]} | null} */
  let pending = null;

  function hide() {
    pending = null;
    confirmBox.hidden = true;
  }

  doc.getElementById("confirm-no").addEventListener("click", () => {
    hide();
    doc.getElementById("withdraw-selected").focus();
  });

  doc.getElementById("confirm-yes").addEventListener("click", async () => {
    const code = page.code();
    if (!pending || code === null) return;
    const body = pending.all ? { code, all: true } : { code, items: pending.items };
    hide();
    const answer = await post("/api/withdrawal/withdraw", body);
    if (answer.status !== 200) {
      page.say(refused(answer), true);
      return;
    }
    show(answer.data);
    page.say(tn("withdraw.done", answer.data.withdrawn ?? 0));
  });

  return {
    hide,
    /** @param {boolean} all @param {string[]} items @param {number} count how many would go */
    ask(all, items, count) {
      pending = { all, items };
      setText(doc.getElementById("confirm-text"), tn("withdraw.confirm", count));
      confirmBox.hidden = false;
      doc.getElementById("confirm-yes").focus();
    },
  };
}

/** @param {string} path @param {object} body */
async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, data: await response.json().catch(() => null) };
}

/** The one message for a refused code (it never says whether the code exists), or a busy server. */
function refused(answer) {
  if (answer.status === 404) return t("withdraw.wrong_code");
  if (answer.status === 429) return t("withdraw.too_many");
  return t("withdraw.failed");
}

/** One contribution, with its box to tick. @param {Item} item */
function itemRow(item) {
  const box = el("input", { type: "checkbox", name: "item", value: item.item });
  // Where it was made: an exit-poll answer is kept on the main board but was given on the
  // board its author was on (`given_on`, null on the poll's own page: no board to name).
  const on = item.given_on;
  const where = on === null ? null : on === 0 ? t("withdraw.main_board") : t("withdraw.board", { number: on });
  const kind = t(KINDS[item.kind] ?? "withdraw.kind_other");
  const label = append(
    el("label", { class: "check" }),
    box,
    append(
      el("span"),
      el("span", { class: "item-kind" }, where === null ? kind : `${kind} · ${where}`),
      el("span", { class: "item-text" }, item.text || "—"),
    ),
  );
  return append(el("li", { "data-item": item.item }), label);
}

/** `2027-03-19` as a long date in the page's language ("19 March 2027", "19 Mawrth 2027"). */
function longDate(day) {
  const [year, month, date] = day.split("-").map(Number);
  return `${date} ${t(`join.month_${month}`)} ${year}`;
}
