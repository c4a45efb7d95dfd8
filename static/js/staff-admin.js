// The staff admin's autocomplete boxes (Django's select2) for assistive technology: each box
// is named by its field's label, and a multiple box's "remove all" button is kept out of its
// list (a list holds only items). Runs again whenever select2 redraws a box.
(function () {
  "use strict";

  function nameBox(box) {
    const container = box.closest(".select2-container");
    const select = container && container.previousElementSibling;
    if (!select || !select.id) return;
    const label = document.querySelector('label[for="' + select.id + '"]');
    if (!label) return;
    if (!label.id) label.id = select.id + "-label";
    const names = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
    if (!names.includes(label.id)) box.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
    // The chosen value's box is a read-only "textbox" with no name of its own: plain text.
    const rendered = box.querySelector(".select2-selection__rendered[role=textbox]");
    if (rendered) {
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    const search = box.querySelector(".select2-search__field");
    if (search && !search.hasAttribute("aria-labelledby")) search.setAttribute("aria-labelledby", label.id);
  }

  // The filter boxes' help icons (Django's SelectFilter2) carry an aria-label, which a plain
  // span may not (aria-prohibited-attr): as an image their text is read out.
  function nameHelpIcons(root) {
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function tidy(root) {
    nameHelpIcons(root);
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(nameBox);
    root.querySelectorAll("ul > .select2-selection__clear").forEach(function (clear) {
      clear.parentElement.before(clear);
    });
  }

  let pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    queueMicrotask(function () {
      pending = false;
      tidy(document);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { tidy(document); });
})();
