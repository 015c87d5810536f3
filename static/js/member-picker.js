// Starting a direct conversation: the directory search becomes a type-ahead
// (suggestions.js); a chosen member joins the list of checked checkboxes that
// the form sends. Without JavaScript the search reloads the page with its
// results as checkboxes (chat/views/rooms.py, direct_start).
import { announce } from "./live.js";
import { Suggestions, findMembers } from "./suggestions.js";

const picker = document.getElementById("member-picker");
const field = document.getElementById("member-search");
const chosen = document.getElementById("chosen-members");
const { one, other, none, added } = picker.dataset;

function checkbox(member) {
  const id = `member-${member.id}`;
  const existing = document.getElementById(id);
  if (existing) {
    existing.checked = true;
    return;
  }
  const item = document.createElement("li");
  const input = document.createElement("input");
  input.type = "checkbox";
  input.name = "members";
  input.value = member.id;
  input.id = id;
  input.checked = true;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.append(member.name);
  if (member.detail) {
    const detail = document.createElement("span");
    detail.className = "meta";
    detail.textContent = member.detail;
    label.append(" ", detail);
  }
  item.append(input, " ", label);
  chosen.append(item);
  document.getElementById("chosen-empty")?.remove();
}

const suggestions = new Suggestions(field, {
  fetch: (query) => findMembers(picker.dataset.searchUrl, query),
  choose: (member) => {
    checkbox(member);
    field.value = "";
    field.focus();
    announce(added.replace("{name}", member.name), { weight: 1 });
  },
  strings: { one, other, none },
});

field.addEventListener("input", () => {
  const query = field.value.trim();
  if (query.length < 1) suggestions.close();
  else suggestions.ask(query);
});
// With suggestions the search happens in place: no page load that would
// forget who was chosen.
field.form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (field.value.trim()) suggestions.ask(field.value.trim());
});
