// The forum's composers (a thread's reply box, a new thread): what is typed
// is kept as a draft on the server (drafts.js) and comes back after a reload
// or on another device; leaving with unsaved words asks first; "@" and a
// name offer members (mentions.js); "Zitieren" puts the quote where the
// cursor is, without reloading, and quotes only the selected words when the
// member selected some in that post first (as Discourse does). An image
// pasted or dropped into the text joins the post's attachments. Without
// JavaScript the form posts as before and "Zitieren" reloads with the quote.
import { Draft } from "./drafts.js";
import { announce } from "./live.js";
import { mentionSuggestions } from "./mentions.js";

const configElement = document.getElementById("composer-config");
const form = document.getElementById("composer");
const textarea = form?.querySelector("textarea[name=source]");

// Until the member has been in the composer, "the cursor" is its end.
let visited = false;
textarea?.addEventListener("focus", () => {
  visited = true;
});

/** Put `text` into the composer at the cursor (replacing a selection there). */
export function insertAtCursor(text) {
  const start = visited ? textarea.selectionStart : textarea.value.length;
  const end = visited ? textarea.selectionEnd : start;
  const before = textarea.value.slice(0, start);
  const after = textarea.value.slice(end);
  // A quote is a block: it starts on a line of its own.
  const gap = before && !before.endsWith("\n") ? "\n\n" : "";
  textarea.value = before + gap + text + after;
  const caret = before.length + gap.length + text.length;
  textarea.focus();
  textarea.setSelectionRange(caret, caret);
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

/** The Markdown quote of `text` by `author` (community.markup.quote's form). */
function quoteOf(author, text) {
  const lines = text.trim().split(/\r?\n/).map((line) => `> ${line}`);
  return `> **${author}:**\n${lines.join("\n")}\n\n`;
}

/** The words selected inside `post`'s text, or "". */
function selectionIn(post) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return "";
  const body = post.querySelector(".post-body");
  const range = selection.getRangeAt(0);
  if (!body || !body.contains(range.commonAncestorContainer)) return "";
  return selection.toString();
}

async function quote(link, selected) {
  if (selected.trim()) {
    insertAtCursor(quoteOf(link.dataset.author, selected));
    return;
  }
  const response = await fetch(link.dataset.quoteUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`quote ${response.status}`);
  insertAtCursor((await response.json()).markdown);
}

/**
 * Add the images among `files` to the form's attachments; say so. Returns
 * whether any was added (then the paste or drop is ours, not the text's).
 */
function attachImages(files, input, list) {
  const images = [...files].filter((file) => file.type.startsWith("image/"));
  if (!images.length || !input) return false;
  const joined = new DataTransfer();
  for (const file of input.files) joined.items.add(file);
  for (const image of images) {
    // A pasted screenshot is often just "image.png": give it a unique name.
    const extension = image.type.split("/")[1] === "jpeg" ? "jpg" : image.type.split("/")[1];
    const name = image.name && image.name !== `image.${extension}` ? image.name : `bild-${Date.now()}.${extension}`;
    joined.items.add(new File([image], name, { type: image.type }));
  }
  input.files = joined.files;
  const names = [...input.files].map((file) => file.name).join(", ");
  list.textContent = list.dataset.template.replace("{names}", names);
  announce(list.textContent);
  return true;
}

if (configElement && form && textarea) {
  const config = JSON.parse(configElement.textContent);
  const fileInput = form.querySelector("input[type=file][name=files]");
  const attached = document.getElementById("composer-attached");
  if (fileInput && attached) {
    textarea.addEventListener("paste", (event) => {
      if (attachImages(event.clipboardData?.files ?? [], fileInput, attached)) event.preventDefault();
    });
    textarea.addEventListener("dragover", (event) => {
      if ([...(event.dataTransfer?.items ?? [])].some((item) => item.kind === "file")) event.preventDefault();
    });
    textarea.addEventListener("drop", (event) => {
      if (attachImages(event.dataTransfer?.files ?? [], fileInput, attached)) event.preventDefault();
    });
    fileInput.addEventListener("change", () => {
      if (!fileInput.files.length) attached.textContent = "";
    });
  }
  const title = form.querySelector("input[name=title]");
  const draft = new Draft({
    form,
    place: config.draftPlace,
    url: config.draftUrl,
    fields: { text: textarea, title },
    status: document.getElementById("composer-draft-status"),
  });
  // Sending is not leaving: the server drops the draft once the post is in.
  form.addEventListener("submit", () => {
    draft.saved = draft.snapshot();
  });
  mentionSuggestions(textarea, {
    url: config.memberSearchUrl,
    strings: { one: config.suggestionsOne, other: config.suggestionsOther, none: config.suggestionsNone },
  });
  // A pointer press on the link may clear the selection before the click:
  // remember it as the pointer goes down.
  let pressed = null;
  for (const link of document.querySelectorAll("a.quote-link")) {
    const post = link.closest(".post");
    link.addEventListener("mousedown", () => {
      pressed = { link, text: selectionIn(post) };
    });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const selected = pressed?.link === link ? pressed.text : selectionIn(post);
      pressed = null;
      quote(link, selected).catch(() => {
        window.location.href = link.href;
      });
    });
  }
}

// A new thread: the offer/seek details only for offers and seeks.
const kind = document.getElementById("id_kind");
const offerSeek = document.getElementById("offer-seek-fields");
if (kind && offerSeek) {
  const show = () => {
    offerSeek.hidden = !["offer", "seek"].includes(kind.value);
  };
  kind.addEventListener("change", show);
  show();
}
