// Type-ahead suggestions under a field: the member directory when starting a
// direct conversation, @-mentions in the forum and chat composers.
//
// The ARIA combobox pattern (WAI-ARIA 1.2, list autocomplete): the field owns
// a listbox (aria-controls), the highlighted option is its
// aria-activedescendant while the focus stays in the field, Up/Down move,
// Enter or Tab choose, Escape closes; how many suggestions there are is said
// through the page's live region. An <input> gets role="combobox" and
// aria-expanded; a <textarea> keeps its textbox role (ARIA allows neither on
// it) with aria-autocomplete, as GitHub's and Discourse's composers do.
import { announce } from "./live.js";

const DELAY_MS = 150;
const plural = new Intl.PluralRules(document.documentElement.lang || "de");
let counter = 0;

export class Suggestions {
  /**
   * field: the <input> or <textarea>;
   * fetch(query) -> Promise<[{id, label, detail}]>;
   * choose(item): what choosing does;
   * strings: {one: "{count} member found…", other: "{count} members found…",
   * none: "No member found."} ("one"/"other" as Intl.PluralRules names them).
   */
  constructor(field, { fetch, choose, strings }) {
    counter += 1;
    this.field = field;
    this.fetch = fetch;
    this.choose = choose;
    this.strings = strings;
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.asked = 0;
    this.list = document.createElement("ul");
    this.list.className = "suggestions";
    this.list.id = `suggestions-${counter}`;
    this.list.setAttribute("role", "listbox");
    this.list.hidden = true;
    const label = field.labels?.[0];
    if (label) {
      label.id ||= `${this.list.id}-label`;
      this.list.setAttribute("aria-labelledby", label.id);
    }
    field.after(this.list);
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", this.list.id);
    if (field.tagName === "INPUT") {
      field.setAttribute("role", "combobox");
      field.setAttribute("aria-expanded", "false");
    }
    // Capturing: before the field's own Enter handlers (a composer's "send").
    field.addEventListener("keydown", (event) => this.key(event), { capture: true });
    field.addEventListener("blur", () => window.setTimeout(() => this.close(), 150));
    // Pointer users pick with the mouse; the field keeps the focus.
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
  }

  get open() {
    return !this.list.hidden;
  }

  // Ask for suggestions for `query` (debounced); answers to older questions
  // that arrive late are dropped.
  ask(query) {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(async () => {
      const asked = ++this.asked;
      let items;
      try {
        items = await this.fetch(query);
      } catch {
        return;
      }
      if (asked === this.asked) this.show(items);
    }, DELAY_MS);
  }

  show(items) {
    this.items = items;
    this.active = items.length ? 0 : -1;
    this.list.replaceChildren(
      ...items.map((item, index) => {
        const option = document.createElement("li");
        option.id = `${this.list.id}-${index}`;
        option.setAttribute("role", "option");
        option.className = "suggestion";
        const name = document.createElement("span");
        name.className = "suggestion-name";
        name.textContent = item.label;
        option.append(name);
        if (item.detail) {
          const detail = document.createElement("span");
          detail.className = "suggestion-detail";
          detail.textContent = item.detail;
          option.append(" ", detail);
        }
        option.addEventListener("click", () => this.pick(index));
        return option;
      }),
    );
    if (!items.length) {
      const none = document.createElement("li");
      none.className = "suggestion-none";
      none.textContent = this.strings.none;
      this.list.append(none);
    }
    this.list.hidden = false;
    if (this.field.tagName === "INPUT") this.field.setAttribute("aria-expanded", "true");
    this.highlight();
    const found = this.strings[plural.select(items.length)] ?? this.strings.other;
    announce(items.length ? found.replace("{count}", items.length) : this.strings.none, {
      weight: 1,
    });
  }

  highlight() {
    const options = this.list.querySelectorAll("[role=option]");
    options.forEach((option, index) => {
      const on = index === this.active;
      option.setAttribute("aria-selected", String(on));
      option.classList.toggle("is-active", on);
      if (on) option.scrollIntoView({ block: "nearest" });
    });
    if (this.active >= 0) this.field.setAttribute("aria-activedescendant", `${this.list.id}-${this.active}`);
    else this.field.removeAttribute("aria-activedescendant");
  }

  close() {
    window.clearTimeout(this.timer);
    this.asked += 1;
    if (!this.open) return;
    this.list.hidden = true;
    this.items = [];
    this.active = -1;
    if (this.field.tagName === "INPUT") this.field.setAttribute("aria-expanded", "false");
    this.field.removeAttribute("aria-activedescendant");
  }

  pick(index) {
    const item = this.items[index];
    this.close();
    if (item) this.choose(item);
  }

  key(event) {
    if (!this.open || event.isComposing) return;
    const count = this.items.length;
    if (event.key === "ArrowDown" && count) {
      this.active = (this.active + 1) % count;
      this.highlight();
    } else if (event.key === "ArrowUp" && count) {
      this.active = (this.active - 1 + count) % count;
      this.highlight();
    } else if ((event.key === "Enter" || event.key === "Tab") && this.active >= 0) {
      this.pick(this.active);
    } else if (event.key === "Escape") {
      this.close();
    } else {
      return;
    }
    // The composer's own Enter (send) and the page's shortcuts stay out of it.
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}

/** Members for `query` from the directory's type-ahead endpoint. */
export async function findMembers(url, query) {
  const address = new URL(url, window.location.href);
  address.searchParams.set("q", query);
  const response = await fetch(address, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`member search ${response.status}`);
  const members = await response.json();
  return members.map((member) => ({ ...member, label: member.name }));
}
