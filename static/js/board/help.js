// The keyboard shortcuts panel: a native <dialog> (focus is trapped and restored by the
// browser, Escape closes it), opened with "?" or the help button. Its rows are in the
// template, in both languages, so the list people read is the list we keep.

/** @param {HTMLDialogElement} dialog @param {HTMLElement} opener */
export function mountHelp(dialog, opener) {
  const open = () => {
    if (!dialog.open) dialog.showModal();
  };
  opener.addEventListener("click", open);
  dialog.querySelector("[data-close]")?.addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("close", () => opener.focus());
  return { open, close: () => dialog.close(), get isOpen() { return dialog.open; } };
}
