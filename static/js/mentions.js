// @-mentions in a composer: typing "@" and a few letters of a name offers the
// members of the directory (suggestions.js: Up/Down, Enter or Tab, Escape;
// announced); choosing one writes the mention the Markdown pipeline resolves,
// @**Vollständiger Name** (with the member's id for namesakes).
import { Suggestions, findMembers } from "./suggestions.js";

// "@" at the start or after a space or bracket, then up to 40 characters of
// a name (spaces allowed: "@Katrin Vo"), up to the caret.
const TYPED = /(?:^|[\s([])@(?!\*\*)([^\s@*][^\n@*]{0,39})$/u;

/**
 * textarea: the composer; url: the member search; strings: {count, none}
 * (see Suggestions).
 */
export function mentionSuggestions(textarea, { url, strings }) {
  let start = -1;
  const suggestions = new Suggestions(textarea, {
    fetch: (query) => findMembers(url, query),
    choose: (member) => {
      const caret = textarea.selectionStart;
      const before = textarea.value.slice(0, start);
      const after = textarea.value.slice(caret);
      const inserted = `${member.mention} `;
      textarea.value = before + inserted + after;
      const position = before.length + inserted.length;
      textarea.setSelectionRange(position, position);
      textarea.focus();
      // Drafts and the typing hint hear of it as of any typing.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    strings,
  });
  textarea.addEventListener("input", (event) => {
    if (event.isComposing) return;
    const caret = textarea.selectionStart;
    if (caret !== textarea.selectionEnd) return suggestions.close();
    const match = TYPED.exec(textarea.value.slice(0, caret));
    // Three words without a match are no name any more.
    if (!match || match[1].trim().split(/\s+/).length > 3) return suggestions.close();
    start = caret - match[1].length - 1;
    suggestions.ask(match[1].trim());
  });
  return suggestions;
}
