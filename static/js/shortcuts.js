// Keyboard shortcuts, as Discourse, Zulip and GitHub have them: "/" search,
// "?" this list; pages add their own (the thread page and the chat: j/k next
// and previous, r reply). Never while the member types into a field, and
// never with Ctrl, Alt or Meta (the browser's and the screen reader's own).
// The list is a modal <dialog>: Escape or its button closes it.

function typing(target) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null)
  );
}

class Shortcuts {
  constructor() {
    this.entries = new Map(); // key -> {description, handler}
    this.strings = null;
    document.addEventListener("keydown", (event) => this.key(event));
  }

  /** Run `handler(event)` on `key` ("j", "?", "/"); `description` goes in the list. */
  add(key, description, handler) {
    this.entries.set(key, { description, handler });
  }

  key(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    const entry = this.entries.get(event.key);
    if (!entry) return;
    event.preventDefault();
    entry.handler(event);
  }

  help() {
    const strings = this.strings;
    let dialog = document.getElementById("shortcuts-help");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "shortcuts-help";
      dialog.className = "shortcuts-help";
      dialog.setAttribute("aria-labelledby", "shortcuts-help-title");
      document.body.append(dialog);
    }
    const title = document.createElement("h2");
    title.id = "shortcuts-help-title";
    title.textContent = strings.title;
    const list = document.createElement("dl");
    for (const [key, { description }] of this.entries) {
      const term = document.createElement("dt");
      const kbd = document.createElement("kbd");
      kbd.textContent = key;
      term.append(kbd);
      const definition = document.createElement("dd");
      definition.textContent = description;
      list.append(term, definition);
    }
    const note = document.createElement("p");
    note.className = "help";
    note.textContent = strings.note;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "button";
    close.textContent = strings.close;
    close.addEventListener("click", () => dialog.close());
    dialog.replaceChildren(title, list, note, close);
    dialog.showModal();
    close.focus();
  }
}

function start() {
  const shortcuts = new Shortcuts();
  const config = document.getElementById("shortcut-strings");
  shortcuts.strings = config ? { ...config.dataset } : null;
  if (!shortcuts.strings) return shortcuts;
  const search = document.getElementById("header-search");
  if (search) {
    shortcuts.add("/", shortcuts.strings.search, () => {
      // On a phone the search sits in the closed menu: open it first.
      const toggle = document.querySelector(".menu-toggle");
      if (search.offsetParent === null && toggle && !toggle.hidden) toggle.click();
      search.focus();
      search.select();
    });
  }
  shortcuts.add("?", shortcuts.strings.help, () => shortcuts.help());
  return shortcuts;
}

// One per tab, whatever name the page's modules import it under (see live.js).
const shortcuts = (window.zukunftsraumShortcuts ??= start());

/** Add a page's shortcut: `addShortcut("j", "Next post", handler)`. */
export function addShortcut(key, description, handler) {
  shortcuts.add(key, description, handler);
}
