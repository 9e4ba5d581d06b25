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
  const found = doc.getElementById("found");
  const list = doc.getElementById("item-list");
  const itemsForm = /** @type {HTMLFormElement} */ (doc.getElementById("items-form"));
  const selectAll = /** @type {HTMLInputElement} */ (doc.getElementById("select-all"));
  const confirmBox = doc.getElementById("confirm");
  const confirmText = doc.getElementById("confirm-text");
  /** @type {string | null} */
  let code = null;
  /** @type {{all: boolean, items: string[]} | null} */
  let pending = null;

  function say(text, problem = false) {
    setText(status, text);
    status.classList.toggle("problem", problem);
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

  function refused(answer) {
    if (answer.status === 404) return t("withdraw.wrong_code");
    if (answer.status === 429) return t("withdraw.too_many");
    return t("withdraw.failed");
  }

  /** @param {Holding} holding */
  function show(holding) {
    found.hidden = false;
    setText(doc.getElementById("workshop"), t("withdraw.workshop", { title: holding.workshop.title }));
    setText(doc.getElementById("until"), t("withdraw.until", { date: longDate(holding.until) }));
    list.replaceChildren(...holding.items.map(row));
    const empty = holding.items.length === 0;
    doc.getElementById("nothing").hidden = !empty;
    itemsForm.hidden = empty;
    selectAll.checked = false;
    hideConfirm();
  }

  /** @param {Item} item */
  function row(item) {
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

  function ticked() {
    return [...list.querySelectorAll("input[name=item]:checked")].map((box) => box.value);
  }

  function ask(all, items) {
    pending = { all, items };
    const count = all ? list.querySelectorAll("input[name=item]").length : items.length;
    setText(confirmText, tn("withdraw.confirm", count));
    confirmBox.hidden = false;
    doc.getElementById("confirm-yes").focus();
  }

  function hideConfirm() {
    pending = null;
    confirmBox.hidden = true;
  }

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
      found.hidden = true;
      code = null;
      say(refused(answer), true);
      return;
    }
    code = typed;
    show(answer.data);
    doc.getElementById("found-title").focus();
  });

  selectAll.addEventListener("change", () => {
    for (const box of list.querySelectorAll("input[name=item]")) box.checked = selectAll.checked;
  });

  itemsForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const items = ticked();
    if (items.length === 0) {
      say(t("withdraw.none_ticked"), true);
      return;
    }
    say("");
    ask(false, items);
  });

  doc.getElementById("withdraw-all").addEventListener("click", () => {
    say("");
    ask(true, []);
  });

  doc.getElementById("confirm-no").addEventListener("click", () => {
    hideConfirm();
    doc.getElementById("withdraw-selected").focus();
  });

  doc.getElementById("confirm-yes").addEventListener("click", async () => {
    if (!pending || code === null) return;
    const body = pending.all ? { code, all: true } : { code, items: pending.items };
    hideConfirm();
    const answer = await post("/api/withdrawal/withdraw", body);
    if (answer.status !== 200) {
      say(refused(answer), true);
      return;
    }
    show(answer.data);
    say(tn("withdraw.done", answer.data.withdrawn ?? 0));
  });
}

/** `2027-03-19` as a long date in the page's language ("19 March 2027", "19 Mawrth 2027"). */
function longDate(day) {
  const [year, month, date] = day.split("-").map(Number);
  return `${date} ${t(`join.month_${month}`)} ${year}`;
}
