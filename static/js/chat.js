// The chat room page: live messages, sending, replies, reactions, editing,
// drafts, @-mentions and keyboard shortcuts. Progressive enhancement of the
// server-rendered page (templates/chat/room_detail.html): without JavaScript,
// or without WebSockets, the history shows and the form posts.
// Message HTML comes sanitised from the server's one Markdown pipeline.
// Uses the tab's one socket (live.js). The message list is no live region:
// new messages of others are said through live.js's announcer as
// "Name: text", the member's own are not (the input empties, "Sent" is said).
import { Draft } from "./drafts.js";
import { announce, socket } from "./live.js";
import { mentionSuggestions } from "./mentions.js";
import { addShortcut } from "./shortcuts.js";

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
// One format for every message, whoever drew it (the server's history or a
// live event): hours and minutes in the platform's time zone, the date in
// the day dividers.
const timeFormat = new Intl.DateTimeFormat(lang, {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: config.timeZone,
});
const dayFormat = new Intl.DateTimeFormat(lang, {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: config.timeZone,
});
const dayKeyFormat = new Intl.DateTimeFormat("en-CA", { timeZone: config.timeZone });

const TYPING_SEND_MS = 3000;
const TYPING_SHOW_MS = 6000;
const ANNOUNCED_CHARS = 200;
// Messages of one author this close together form one block (Zulip, Slack).
const GROUP_WINDOW_MS = 5 * 60 * 1000;
// Within this distance of the bottom the list follows new messages.
const STICK_PX = 80;
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

function timeText(iso) {
  return timeFormat.format(new Date(iso));
}

function dayKey(iso) {
  return dayKeyFormat.format(new Date(iso));
}

// --- Rendering (mirrors templates/chat/partials/message.html) -------------------

function reactionButton(reaction) {
  const mine = reaction.users.includes(config.user);
  const names = (reaction.names || []).join(", ");
  const node = el("button", "chat-reaction", `${reaction.emoji} `);
  node.type = "button";
  node.dataset.emoji = reaction.emoji;
  node.setAttribute("aria-pressed", String(mine));
  node.title = names;
  node.append(el("span", "count", String(reaction.count)), el("span", "visually-hidden", `: ${names}`));
  const entry = el("li");
  entry.append(node);
  return entry;
}

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
  item.tabIndex = -1;
  if (message.deleted) item.classList.add("is-deleted");
  if (visibility !== "visible") item.classList.add("is-moderated");

  const meta = el("p", "chat-meta");
  if (message.author?.active !== false && message.author) {
    const author = el("a", "chat-author", message.author.name);
    author.href = config.profileUrl.replace("{id}", message.author.id);
    meta.append(author);
  } else {
    meta.append(el("span", "chat-author", message.author?.name ?? t.formerMember));
  }
  meta.append(" ");
  const link = el("a", "chat-time");
  link.href = `#m${message.seq}`;
  const time = el("time", "", timeText(message.created));
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
    reactions.append(...message.reactions.map(reactionButton));
    item.append(reactions);
  }
  enhance(item);
  return item;
}

// --- Blocks and days ----------------------------------------------------------------

function storedMessages() {
  return list.querySelectorAll(".chat-message[data-seq]");
}

// A message continues its author's block when it follows their previous one
// within five minutes on the same day, replies to nothing and nothing stands
// between them (a divider). chat/queries.py `mark_continuations` draws the
// same blocks on the server.
function regroup() {
  let previous = null;
  let lastDay = null;
  for (const node of [...list.children]) {
    if (node.classList.contains("chat-day")) {
      node.remove();
      continue;
    }
    if (!node.classList.contains("chat-message") || !node.dataset.seq) {
      previous = null; // the "new messages" divider, a pending send
      continue;
    }
    const day = dayKey(node.dataset.created);
    if (day !== lastDay) {
      const divider = el("li", "chat-day");
      divider.dataset.day = day;
      divider.append(el("span", "", dayFormat.format(new Date(node.dataset.created))));
      node.before(divider);
      lastDay = day;
      previous = null;
    }
    const continues =
      previous !== null &&
      node.dataset.author !== "" &&
      node.dataset.author === previous.dataset.author &&
      !previous.classList.contains("is-deleted") &&
      !node.querySelector(".chat-quote") &&
      new Date(node.dataset.created) - new Date(previous.dataset.created) < GROUP_WINDOW_MS;
    node.classList.toggle("is-continuation", continues);
    previous = node;
  }
}

// --- Tools on each message ------------------------------------------------------

// Buttons for a message: reply, react, and (own messages) edit and delete.
// They show on hover and when the keyboard is inside the message.
function enhance(item) {
  const time = item.querySelector(".chat-time time");
  if (time?.dateTime) time.textContent = timeText(time.dateTime);
  for (const reaction of item.querySelectorAll(".chat-reaction")) {
    reaction.addEventListener("click", () => react(item, reaction.dataset.emoji, reaction));
  }
  if (item.classList.contains("is-deleted") || item.classList.contains("is-pending")) return;
  item.querySelector(".chat-tools")?.remove();
  const tools = el("div", "chat-tools");
  const id = Number(item.dataset.id);
  const author = item.querySelector(".chat-author")?.textContent ?? "";
  const visible = (item.dataset.visibility || "visible") === "visible";
  if (form && visible && socket) {
    tools.append(button(t.reply, () => startReply(id, author)));
    const menu = el("details", "chat-react");
    const summary = el("summary", "", t.react);
    menu.append(summary);
    for (const emoji of config.reactions) {
      const choice = button(emoji, () => {
        menu.open = false;
        react(item, emoji, summary);
      }, "chat-emoji");
      choice.setAttribute("aria-label", `${t.react}: ${emoji}`);
      menu.append(choice);
    }
    menu.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !menu.open) return;
      menu.open = false;
      summary.focus();
      event.stopPropagation();
    });
    tools.append(menu);
  }
  if (Number(item.dataset.author) === config.user && socket) {
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
  if (tools.childElementCount) item.append(tools);
}

// After a reaction the focus stays where it was: the message is drawn anew
// when the server confirms, and `place` gives the focus to the same control.
function react(item, emoji, control) {
  if (!socket) return;
  control?.focus();
  socket.frame({ type: "react", id: Number(item.dataset.id), emoji });
}

function byId(id) {
  return list.querySelector(`.chat-message[data-id="${id}"]`);
}

function withoutEmptyNote(node) {
  document.getElementById("chat-empty")?.remove();
  return node;
}

// What has the focus inside `node`, as something findable in its successor.
function focusKey(node) {
  const active = document.activeElement;
  if (!node.contains(active)) return null;
  if (active === node) return { self: true };
  return {
    selector: active.matches(".chat-reaction")
      ? `.chat-reaction[data-emoji="${active.dataset.emoji}"]`
      : active.matches(".chat-react summary")
        ? ".chat-react summary"
        : null,
  };
}

function replace(existing, node) {
  const key = focusKey(existing);
  existing.replaceWith(node);
  if (!key) return;
  const target = (key.selector && node.querySelector(key.selector)) || node.querySelector(".chat-react summary") || node;
  target.focus();
}

// --- Scrolling --------------------------------------------------------------------

function nearBottom() {
  return list.scrollHeight - list.scrollTop - list.clientHeight < STICK_PX;
}

function toBottom() {
  list.scrollTop = list.scrollHeight;
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
  const follow = nearBottom();
  if (existing) {
    replace(existing, node);
  } else {
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
  regroup();
  if (follow || message.author?.id === config.user) toBottom();
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
  toBottom();
  textarea.value = "";
  draft?.discard();
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

// Editing works like writing: Enter saves, Shift+Enter starts a new line,
// Escape cancels; the focus goes back to the message.
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
  field.setAttribute("aria-describedby", "chat-edit-help");
  const stop = () => {
    editor.replaceWith(body);
    item.querySelector(".chat-tools")?.removeAttribute("hidden");
    (byId(id) ?? item).focus();
  };
  const save = () => {
    const text = field.value.trim();
    if (text && text !== item.dataset.body) socket.frame({ type: "edit", id, body: text });
    stop();
  };
  editor.append(label, field, el("div", "actions"));
  editor.lastChild.append(el("button", "button button-primary", t.save), button(t.cancel, stop, "button"));
  editor.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  field.addEventListener("keydown", (event) => {
    if (event.key === "Escape") stop();
    else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      save();
    }
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
    const first = list.querySelector(".chat-message, .chat-day");
    const height = list.scrollHeight;
    for (const message of page.messages) {
      if (!byId(message.id)) list.insertBefore(render(message), first);
    }
    regroup();
    // Keep the member's place: what they were reading stays in view.
    list.scrollTop += list.scrollHeight - height;
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
  regroup();
  toBottom();
  oldest = page.messages.length ? page.messages[0].seq : null;
  hasMore = page.has_more;
  olderButton.hidden = !hasMore;
  socket.loaded(room, page.seq, page.messages.map((m) => m.id));
  socket.subscribe(room, page.seq);
}

// --- Keyboard: j/k through the messages, r to reply ----------------------------------

function focusedMessage() {
  return document.activeElement?.closest?.(".chat-message[data-seq]") ?? null;
}

function step(direction) {
  const messages = [...storedMessages()];
  if (!messages.length) return;
  const current = focusedMessage();
  let index = current ? messages.indexOf(current) + direction : direction > 0 ? 0 : messages.length - 1;
  if (!current && direction > 0) {
    // From nowhere, j starts at the first message in view.
    const top = list.getBoundingClientRect().top;
    index = Math.max(0, messages.findIndex((node) => node.getBoundingClientRect().bottom > top));
  }
  const target = messages[Math.min(Math.max(index, 0), messages.length - 1)];
  target.focus();
  target.scrollIntoView({ block: "nearest" });
}

// --- Wiring -------------------------------------------------------------------------

function showStatus(status) {
  statusLine.textContent = { connecting: t.connecting, live: t.live, offline: t.offline }[status];
  root.dataset.status = status;
}

let draft = null;

for (const item of list.querySelectorAll(".chat-message")) enhance(item);
regroup();
// In view first: the message the address names (a search result), the
// "new messages" divider, or the latest message.
const named = window.location.hash.startsWith("#m") && document.getElementById(window.location.hash.slice(1));
const divider = named || document.getElementById("neu");
if (divider) list.scrollTop = divider.offsetTop - list.offsetTop - 8;
else toBottom();

if (!socket) {
  // No WebSocket in this browser: the page works as without script (the
  // form posts; a reload shows new messages) and says so.
  root.dataset.status = "offline";
  statusLine.textContent = t.noLiveConnection;
} else {
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
    const existing = byId(detail.message.id);
    if (!existing) return;
    replace(existing, render(detail.message));
    regroup();
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
    // Refused edits and reactions (muted, blocked words) say why.
    if (detail.id && byId(detail.id)) statusLine.textContent = refusalText(detail);
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
  socket.addEventListener("chat.membership", ({ detail }) => {
    if (detail.room === room && detail.op === "removed") window.location.reload();
  });
  socket.addEventListener("unsubscribed", ({ detail }) => {
    // Access ended (a restricted space's list, an invite-only room): the page
    // says what the member may see now.
    if (detail.room === room && detail.reason) window.location.reload();
  });
  document.addEventListener("visibilitychange", markRead);
  socket.subscribe(room, config.seq);
}

if (hasMore) olderButton.hidden = false;
olderButton.addEventListener("click", () => loadOlder().catch(() => { statusLine.textContent = t.error; }));

if (form) {
  if (config.draftUrl) {
    draft = new Draft({
      form,
      place: `chat:${room}`,
      url: config.draftUrl,
      fields: { text: textarea },
      status: document.getElementById("chat-draft-status"),
    });
  }
  if (config.memberSearchUrl) {
    mentionSuggestions(textarea, {
      url: config.memberSearchUrl,
      strings: { one: t.suggestionsOne, other: t.suggestionsOther, none: t.suggestionsNone },
    });
  }
  if (socket) {
    form.addEventListener("submit", submit);
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
    });
    textarea.addEventListener("input", () => {
      if (Date.now() - lastTypingSent < TYPING_SEND_MS) return;
      lastTypingSent = Date.now();
      socket.frame({ type: "typing", room });
    });
  }
  document.getElementById("chat-reply-cancel").addEventListener("click", () => {
    cancelReply();
    textarea.focus();
  });
}

addShortcut("j", t.nextMessage, () => step(1));
addShortcut("k", t.previousMessage, () => step(-1));
if (form && socket) {
  addShortcut("r", t.replyToMessage, () => {
    const current = focusedMessage();
    const reply = current?.querySelector(".chat-tools .chat-action");
    if (reply && reply.textContent === t.reply) reply.click();
    else textarea.focus();
  });
}
