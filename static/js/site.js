// Every page's own script (templates/base.html loads it in <head>, not
// deferred, so that the "js" class is set before the first paint and the
// collapsed menu never flashes open). The header's menus: on phones the whole
// menu sits behind one button; on wider screens the main navigation keeps one
// line and what does not fit moves into "More". Both work for any number of
// entries, so another part of the platform only adds an <li>. Without
// JavaScript the menu is shown in full and wraps.
document.documentElement.classList.add("js");

const WIDE = window.matchMedia("(min-width: 48rem)");

function disclosure(button, panel, { onToggle = () => {} } = {}) {
  const set = (open) => {
    button.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    onToggle(open);
  };
  button.addEventListener("click", () => set(button.getAttribute("aria-expanded") !== "true"));
  return set;
}

// Escape and a click elsewhere close an open menu; Escape returns the focus to
// the button that opened it.
function closable(container, button, close) {
  container.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    close();
    button.focus();
    event.stopPropagation();
  });
  document.addEventListener("click", (event) => {
    if (!container.contains(event.target)) close();
  });
}

function phoneMenu(header) {
  const toggle = header.querySelector(".menu-toggle");
  const menu = header.querySelector(".site-menu");
  if (!toggle || !menu) return;
  toggle.hidden = false;
  const set = disclosure(toggle, menu, {
    onToggle: (open) => header.classList.toggle("is-open", open),
  });
  const apply = () => {
    if (WIDE.matches) {
      menu.hidden = false;
      header.classList.remove("is-open");
      toggle.setAttribute("aria-expanded", "false");
    } else {
      set(header.classList.contains("is-open"));
    }
  };
  closable(header, toggle, () => {
    if (!WIDE.matches) set(false);
  });
  WIDE.addEventListener("change", apply);
  apply();
}

// Priority+: entries that do not fit on the line move, last first, into the
// "More" list; when the space comes back, they move back in their order.
// Entries marked `nav-keep` (those with live counts) never move.
function priorityNavigation(nav) {
  const list = nav.querySelector(".nav-list");
  const more = list?.querySelector(".nav-more");
  if (!list || !more) return;
  const moreButton = more.querySelector(".nav-more-toggle");
  const moreList = more.querySelector(".nav-more-list");
  const items = [...list.children].filter((item) => item !== more);
  const set = disclosure(moreButton, moreList);
  closable(more, moreButton, () => set(false));

  const fits = () => {
    const limit = nav.getBoundingClientRect().right;
    const shown = [...list.children].filter((item) => !item.hidden);
    const last = shown[shown.length - 1];
    return !last || last.getBoundingClientRect().right <= limit + 0.5;
  };
  const layout = () => {
    set(false);
    for (const item of items) list.insertBefore(item, more);
    more.hidden = true;
    if (!WIDE.matches || fits()) return;
    more.hidden = false;
    for (const item of [...items].reverse()) {
      if (fits()) break;
      if (!item.classList.contains("nav-keep")) moreList.prepend(item);
    }
    more.hidden = moreList.children.length === 0;
  };
  new ResizeObserver(layout).observe(nav);
  WIDE.addEventListener("change", layout);
  layout();
}

// The account menu is a <details>: it works without script; this closes it
// on Escape and on a click elsewhere, as menus do.
function detailsMenus(root) {
  for (const details of root.querySelectorAll("details.account-menu")) {
    const summary = details.querySelector("summary");
    details.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !details.open) return;
      details.open = false;
      summary.focus();
    });
    document.addEventListener("click", (event) => {
      if (!details.contains(event.target)) details.open = false;
    });
  }
}

function start() {
  stackableTables(document);
  const header = document.querySelector(".site-header");
  if (!header) return;
  phoneMenu(header);
  const nav = header.querySelector(".site-menu > nav");
  if (nav) priorityNavigation(nav);
  detailsMenus(header);
}

// Tables stack into one card per row on phones (main.css): each cell gets its
// column's name to show, and explicit roles, since some browsers forget that a
// restyled table is a table.
function stackableTables(root) {
  for (const table of root.querySelectorAll("table.table")) {
    const names = [];
    for (const cell of table.querySelectorAll("thead th")) {
      const span = Number(cell.getAttribute("colspan")) || 1;
      for (let i = 0; i < span; i += 1) names.push(cell.textContent.trim());
    }
    table.setAttribute("role", "table");
    table.querySelector(":scope > caption")?.setAttribute("role", "caption");
    for (const group of table.querySelectorAll("thead, tbody, tfoot")) group.setAttribute("role", "rowgroup");
    for (const row of table.querySelectorAll("tr")) {
      row.setAttribute("role", "row");
      let column = 0;
      for (const cell of row.children) {
        const header = cell.tagName === "TH";
        const scope = cell.getAttribute("scope");
        cell.setAttribute("role", header ? (scope === "row" ? "rowheader" : "columnheader") : "cell");
        const name = names[column];
        if (!header && name && !cell.hasAttribute("colspan")) cell.dataset.label = name;
        column += Number(cell.getAttribute("colspan")) || 1;
      }
    }
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
