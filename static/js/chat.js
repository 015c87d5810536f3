// The chat room page: live messages, sending, replies, reactions, editing.
// Progressive enhancement of the server-rendered page (templates/chat/
// room_detail.html): without JavaScript the history shows and the form posts.
// Message HTML comes sanitised from the server's one Markdown pipeline.
// Uses the tab's one socket (live.js). The message list is no live region:
// new messages of others are said through live.js's announcer as
// "Name: text", the member's own are not (the input empties, "Sent" is said).
import { announce, socket } from "./live.js";

const root = document.getElementById("chat");
const config = JSON.parse(document.getElementById("chat-config").textContent);
const t = JSON.parse(document.getElementById("chat-strings").textContent);
const list = document.getElementById("chat-messages");
const statusLine = document.getElementById("chat-status");
const onlineLine = document.getElementById("chat-online");
const typingLine = document.getElementById("chat-typing");
const olderButton = document.getElementById("chat-older");
const form = document.getElementById("chat-form");
const textarea = form?.querySelector("textarea");
const replying = document.getElementById("chat-replying");
const replyingText = document.getElementById("chat-replying-text");
const lang = document.documentElement.lang || "de";
const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short" });

const TYPING_SEND_MS = 3000;
const TYPING_SHOW_MS = 6000;
const ANNOUNCED_CHARS = 200;
const room = config.room;
const online = new Map();
const typing = new Map();
// Sends of this tab not yet acknowledged (their message may come first).
const unconfirmed = new Set();
// The text of this tab's own sends by client id: a message held for approval
// comes back without text, and its author still sees what they wrote.
const sentTexts = new Map();
const slowModeLine = document.getElementById("chat-slow-mode");
let slowMode = config.slowMode || 0;
let replyTo = null;
let oldest = config.oldest;
let hasMore = config.hasMore;
let lastTypingSent = 0;
let readSent = config.readSeq;

function format(template, values) {
  return template.replace(/%\((\w+)\)[sd]/g, (_, key) => values[key] ?? "");
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, onClick, className = "chat-action") {
  const node = el("button", className, label);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

// --- Rendering (mirrors templates/chat/partials/message.html) -------------------

function render(message) {
  const item = el("li", "chat-message");
  item.id = `m${message.seq}`;
  item.dataset.id = message.id;
  item.dataset.seq = message.seq;
  item.dataset.author = message.author?.id ?? "";
  item.dataset.created = message.created;
  const visibility = message.visibility || "visible";
  const own = message.author?.id === config.user;
  const ownText = own && !message.html ? sentTexts.get(message.client_id) : undefined;
  item.dataset.visibility = visibility;
  if (own && !message.deleted && (message.body || ownText)) item.dataset.body = message.body || ownText;
  if (!own && message.author && config.reportUrl) item.dataset.report = config.reportUrl.replace("{id}", message.id);
  if (message.deleted) item.classList.add("is-deleted");
  if (visibility !== "visible") item.classList.add("is-moderated");

  const meta = el("p", "chat-meta");
  meta.append(el("span", "chat-author", message.author?.name ?? t.formerMember), " ");
  const link = el("a", "chat-time");
  link.href = `#m${message.seq}`;
  const time = el("time", "", dateFormat.format(new Date(message.created)));
  time.dateTime = message.created;
  link.append(time);
  meta.append(link);
  if (message.edited && !message.deleted) meta.append(" ", el("span", "chat-edited", `(${t.edited})`));
  const badge = { pending: t.awaitingApproval, hidden: t.hidden }[visibility];
  if (badge && (message.html || ownText)) meta.append(" ", el("span", "badge chat-badge", badge));
  item.append(meta);

  if (message.reply_to) {
    const quote = el("p", "chat-quote");
    const target = el("a", "", format(t.inReplyTo, { name: message.reply_to.author?.name ?? t.formerMember }));
    target.href = `#m${message.reply_to.seq}`;
    quote.append(target);
    if (message.reply_to.excerpt) quote.append(`: ${message.reply_to.excerpt}`);
    item.append(quote);
  }

  const body = el("div", "chat-body");
  if (visibility === "removed") body.append(el("p", "chat-deleted", t.removed));
  else if (message.deleted) body.append(el("p", "chat-deleted", t.deleted));
  else if (message.html) body.innerHTML = message.html; // sanitised by the server
  else if (ownText) body.append(el("p", "", ownText)); // the author's own words, as text
  else body.append(el("p", "chat-deleted", visibility === "pending" ? t.awaitingApproval : t.hidden));
  item.append(body);

  if (message.reactions.length) {
    const reactions = el("ul", "chat-reactions");
    reactions.setAttribute("aria-label", t.reactions);
    for (const reaction of message.reactions) {
      const entry = el("li", "", `${reaction.emoji} `);
      entry.append(el("span", "count", String(reaction.count)));
      reactions.append(entry);
    }
    item.append(reactions);
  }
  enhance(item);
  return item;
}

// One timestamp format, whoever rendered the message (the server's history
// or a live event): the browser's, in the page's language.
function showTime(item) {
  const time = item.querySelector(".chat-time time");
  if (time?.dateTime) time.textContent = dateFormat.format(new Date(time.dateTime));
}

// Buttons for a message: reply, react, and (own messages) edit and delete.
function enhance(item) {
  showTime(item);
  if (item.classList.contains("is-deleted") || item.classList.contains("is-pending")) return;
  item.querySelector(".chat-tools")?.remove();
  const tools = el("div", "chat-tools");
  const id = Number(item.dataset.id);
  const author = item.querySelector(".chat-author")?.textContent ?? "";
  const visible = (item.dataset.visibility || "visible") === "visible";
  if (form && visible) {
    tools.append(button(t.reply, () => startReply(id, author)));
    const react = el("details", "chat-react");
    react.append(el("summary", "", t.react));
    for (const emoji of config.reactions) {
      react.append(button(emoji, () => {
        socket.frame({ type: "react", id, emoji });
        react.open = false;
      }, "chat-emoji"));
    }
    tools.append(react);
  }
  if (Number(item.dataset.author) === config.user) {
    const age = (Date.now() - new Date(item.dataset.created)) / 1000;
    if (age < config.editWindow && item.dataset.body !== undefined) {
      tools.append(button(t.edit, () => startEdit(item)));
    }
    tools.append(button(t.delete, () => {
      if (window.confirm(t.confirmDelete)) socket.frame({ type: "delete", id });
    }));
  } else if (item.dataset.report && visible) {
    // Reporting is a page of its own (reason and text), not a frame.
    const report = el("a", "chat-action chat-report", t.report);
    report.href = item.dataset.report;
    tools.append(report);
  }
  item.append(tools);
}

function byId(id) {
  return list.querySelector(`.chat-message[data-id="${id}"]`);
}

function withoutEmptyNote(node) {
  document.getElementById("chat-empty")?.remove();
  return node;
}

// --- Announcing -------------------------------------------------------------------

const BLOCKS = "p, li, blockquote, pre, h1, h2, h3, h4, h5, h6, tr";

// The words of a message's (sanitised) HTML, as a screen reader should hear
// them in a short announcement. DOMParser's document is inert: nothing loads.
function plainText(html) {
  const body = new DOMParser().parseFromString(html, "text/html").body;
  for (const image of body.querySelectorAll("img[alt]")) image.replaceWith(image.alt);
  for (const br of body.querySelectorAll("br")) br.replaceWith(" ");
  for (const block of body.querySelectorAll(BLOCKS)) block.append(" ");
  return body.textContent.replace(/\s+/g, " ").trim();
}

function shortened(text, length) {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

function announceMessage(message) {
  if (message.deleted || !message.html || message.author?.id === config.user) return;
  const name = message.author?.name ?? t.formerMember;
  announce(shortened(`${name}: ${plainText(message.html)}`, ANNOUNCED_CHARS), {
    // The URL of a mention's notification: said once, as the message.
    key: `${window.location.pathname}#m${message.seq}`,
    weight: 1,
  });
}

function place(message) {
  const existing = byId(message.id);
  const node = render(message);
  if (existing) {
    existing.replaceWith(node);
    return;
  }
  // A pending send takes its place in the sequence once stored: messages
  // missed while offline may come before it.
  if (message.client_id) document.getElementById(`pending-${message.client_id}`)?.remove();
  // Keep the list in sequence order, even if a message arrives late, and
  // what is still pending last.
  const later = [...list.querySelectorAll(".chat-message[data-seq], .chat-message.is-pending")].find(
    (other) => !other.dataset.seq || Number(other.dataset.seq) > message.seq,
  );
  if (later) list.insertBefore(withoutEmptyNote(node), later);
  else list.append(withoutEmptyNote(node));
}

// --- Sending --------------------------------------------------------------------

function startReply(id, name) {
  replyTo = id;
  replyingText.textContent = format(t.replyingTo, { name });
  replying.hidden = false;
  textarea.focus();
}

function cancelReply() {
  replyTo = null;
  replying.hidden = true;
}

function pendingItem(clientId, body) {
  const item = el("li", "chat-message is-pending");
  item.id = `pending-${clientId}`;
  const meta = el("p", "chat-meta", t.pending);
  item.append(meta, el("div", "chat-body", body));
  return item;
}

function submit(event) {
  event.preventDefault();
  const body = textarea.value.trim();
  if (!body) return;
  if (body.length > config.maxLength) {
    statusLine.textContent = t.tooLong;
    return;
  }
  const clientId = socket.send(room, body, replyTo);
  unconfirmed.add(clientId);
  sentTexts.set(clientId, body);
  list.append(withoutEmptyNote(pendingItem(clientId, body)));
  textarea.value = "";
  cancelReply();
}

function refusalText(data) {
  if (data.detail) return data.detail; // the word filter's own sentence
  const seconds = Math.ceil(data.retry_after || 0);
  if (data.code === "slow_mode") return format(t.slowModeWait, { seconds });
  if (data.code === "muted" && seconds > 60) return format(t.mutedFor, { minutes: Math.ceil(seconds / 60) });
  return { rate_limited: t.rateLimited, muted: t.muted, suspended: t.suspended, unavailable: t.offline }[data.code] || t.error;
}

function showSlowMode() {
  if (!slowModeLine) return;
  slowModeLine.textContent = slowMode ? format(t.slowMode, { seconds: slowMode }) : "";
  slowModeLine.hidden = !slowMode;
}

function failed(data) {
  const item = document.getElementById(`pending-${data.client_id}`);
  const problem = refusalText(data);
  statusLine.textContent = problem;
  if (!item || data.code === "unavailable") return;
  item.classList.add("is-failed");
  const meta = item.querySelector(".chat-meta");
  meta.textContent = `${t.failed}: ${problem} `;
  meta.append(button(t.retry, () => {
    meta.textContent = t.pending;
    item.classList.remove("is-failed");
    socket.pending.set(data.client_id, {
      type: "send", room, client_id: data.client_id, body: item.querySelector(".chat-body").textContent,
    });
    socket.retry(data.client_id);
  }));
}

function startEdit(item) {
  const id = Number(item.dataset.id);
  const body = item.querySelector(".chat-body");
  const editor = el("form", "chat-editor");
  const label = el("label", "visually-hidden", t.editLabel);
  const field = el("textarea");
  field.id = `edit-${id}`;
  label.htmlFor = field.id;
  field.value = item.dataset.body;
  field.maxLength = config.maxLength;
  field.rows = 3;
  const stop = () => {
    editor.replaceWith(body);
    item.querySelector(".chat-tools")?.removeAttribute("hidden");
  };
  editor.append(label, field, el("div", "actions"));
  editor.lastChild.append(el("button", "button button-primary", t.save), button(t.cancel, stop, "button"));
  editor.addEventListener("submit", (event) => {
    event.preventDefault();
    socket.frame({ type: "edit", id, body: field.value });
    stop();
  });
  field.addEventListener("keydown", (event) => {
    if (event.key === "Escape") stop();
  });
  body.replaceWith(editor);
  item.querySelector(".chat-tools")?.setAttribute("hidden", "");
  field.focus();
}

// --- Presence, typing, reading --------------------------------------------------

function showOnline() {
  const names = [...online.values()].sort();
  onlineLine.textContent = names.length ? format(t.online, { names: names.join(", ") }) : "";
}

function showTyping() {
  const names = [...typing.values()].map((entry) => entry.name);
  if (!names.length) typingLine.textContent = "";
  else if (names.length === 1) typingLine.textContent = format(t.typingOne, { name: names[0] });
  else typingLine.textContent = format(t.typingMany, { names: names.join(", ") });
}

function markRead() {
  const seq = socket.rooms.get(room)?.seq ?? 0;
  if (document.visibilityState !== "visible" || seq <= readSent) return;
  readSent = seq;
  socket.frame({ type: "read", room, seq });
}

// --- History ----------------------------------------------------------------------

async function fetchHistory(before) {
  const url = new URL(config.historyUrl, window.location.href);
  if (before) url.searchParams.set("vor", before);
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`history ${response.status}`);
  return response.json();
}

async function loadOlder() {
  if (!hasMore || !oldest) return;
  olderButton.disabled = true;
  try {
    const page = await fetchHistory(oldest);
    const first = list.querySelector(".chat-message");
    for (const message of page.messages) {
      if (!byId(message.id)) list.insertBefore(render(message), first);
    }
    if (page.messages.length) oldest = page.messages[0].seq;
    hasMore = page.has_more;
    olderButton.hidden = !hasMore;
  } finally {
    olderButton.disabled = false;
  }
}

async function reloadLatest() {
  const page = await fetchHistory(null);
  list.replaceChildren(...page.messages.map(render));
  oldest = page.messages.length ? page.messages[0].seq : null;
  hasMore = page.has_more;
  olderButton.hidden = !hasMore;
  socket.loaded(room, page.seq, page.messages.map((m) => m.id));
  socket.subscribe(room, page.seq);
}

// --- Wiring -------------------------------------------------------------------------

function showStatus(status) {
  statusLine.textContent = { connecting: t.connecting, live: t.live, offline: t.offline }[status];
  root.dataset.status = status;
}

showStatus(socket.status);
socket.addEventListener("status", ({ detail }) => showStatus(detail));
socket.addEventListener("subscribed", ({ detail }) => {
  if (detail.room !== room) return;
  online.clear();
  for (const person of detail.online) online.set(person.id, person.name);
  showOnline();
});
socket.addEventListener("message", ({ detail }) => {
  if (detail.room !== room) return;
  place(detail.message);
  announceMessage(detail.message);
  typing.delete(detail.message.author?.id);
  showTyping();
  markRead();
});
socket.addEventListener("update", ({ detail }) => {
  if (detail.room !== room) return;
  if (byId(detail.message.id)) byId(detail.message.id).replaceWith(render(detail.message));
});
socket.addEventListener("ack", ({ detail }) => {
  const item = document.getElementById(`pending-${detail.client_id}`);
  if (item) item.querySelector(".chat-meta").textContent = "";
  if (unconfirmed.delete(detail.client_id)) announce(form.dataset.sent);
});
socket.addEventListener("send-error", ({ detail }) => {
  if (detail.room === room) failed(detail);
});
socket.addEventListener("error", ({ detail }) => {
  if (detail.code === "room_not_found" && detail.room === room) statusLine.textContent = t.error;
});
socket.addEventListener("reload", ({ detail }) => {
  if (detail.room === room) reloadLatest().catch(() => window.location.reload());
});
socket.addEventListener("resync", () => reloadLatest().catch(() => window.location.reload()));
socket.addEventListener("chat.presence", ({ detail }) => {
  if (detail.room !== room) return;
  if (detail.online) online.set(detail.user.id, detail.user.name);
  else online.delete(detail.user.id);
  showOnline();
});
socket.addEventListener("chat.typing", ({ detail }) => {
  if (detail.room !== room) return;
  clearTimeout(typing.get(detail.user.id)?.timer);
  const timer = setTimeout(() => {
    typing.delete(detail.user.id);
    showTyping();
  }, TYPING_SHOW_MS);
  typing.set(detail.user.id, { name: detail.user.name, timer });
  showTyping();
});
socket.addEventListener("chat.room", ({ detail }) => {
  if (detail.room !== room) return;
  slowMode = detail.slow_mode;
  showSlowMode();
  if (!config.slowModeExempt) announce(slowMode ? format(t.slowMode, { seconds: slowMode }) : "");
});
socket.addEventListener("error", ({ detail }) => {
  // Refused edits and reactions (muted, blocked words) say why.
  if (detail.id && byId(detail.id)) statusLine.textContent = refusalText(detail);
});
socket.addEventListener("chat.membership", ({ detail }) => {
  if (detail.room === room && detail.op === "removed") window.location.reload();
});
socket.addEventListener("unsubscribed", ({ detail }) => {
  // Access ended (a restricted space's list, an invite-only room): the page
  // says what the member may see now.
  if (detail.room === room && detail.reason) window.location.reload();
});

for (const item of list.querySelectorAll(".chat-message")) enhance(item);
if (hasMore) olderButton.hidden = false;
olderButton.addEventListener("click", () => loadOlder().catch(() => { statusLine.textContent = t.error; }));
if (form) {
  form.addEventListener("submit", submit);
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
  });
  textarea.addEventListener("input", () => {
    if (Date.now() - lastTypingSent < TYPING_SEND_MS) return;
    lastTypingSent = Date.now();
    socket.frame({ type: "typing", room });
  });
  document.getElementById("chat-reply-cancel").addEventListener("click", () => {
    cancelReply();
    textarea.focus();
  });
}
document.addEventListener("visibilitychange", markRead);

socket.subscribe(room, config.seq);
