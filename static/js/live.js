// The tab's live link, loaded by templates/base.html on every signed-in page:
// the one WebSocket of the tab (docs/protocol.md), the header's unread count
// and the one polite live region that speaks for everything live.
// Page scripts (chat.js, forum-thread.js) import `socket` and `announce` from
// here instead of opening sockets or live regions of their own.
import { ChatSocket } from "./chat-socket.js";

// Screen readers get at most one announcement a second; what arrives meanwhile
// is gathered into the next one.
const ANNOUNCE_GAP_MS = 1000;
// Events that belong together (a reply's notification and its post) arrive a
// few milliseconds apart: wait this long so that they meet in the queue.
const ANNOUNCE_GATHER_MS = 250;
const ANNOUNCE_MAX_ITEMS = 5;
// An announcement with a key (the URL it is about) is said once in this time.
const ANNOUNCE_REMEMBER_MS = 10000;
// Old announcements are taken away, so that nobody browsing the page later
// meets them at its end.
const ANNOUNCE_CLEAR_MS = 10000;
// After a session ended the page reloads once; should the reloaded page end up
// the same way (a session that pages accept but the socket does not), it stays.
const RELOAD_MARK = "zukunftsraum.sessionEndedReloadAt";
const RELOAD_AGAIN_MS = 60000;
// A page that is already on its way to the next one (a form sent, a link
// followed: the very form that deleted the account, say) is not interrupted by
// a reload; should that navigation not happen after all, it reloads later.
const NAVIGATION_GRACE_MS = 10000;
let leavingAt = -Infinity;

class Announcer {
  constructor(region) {
    this.region = region;
    this.queue = []; // {text, key, weight}
    this.recent = new Map(); // key -> when it was said
    this.lastAt = -Infinity;
    this.timer = null;
    this.clearTimer = null;
  }

  // `key`: what the text is about (a URL); of several texts with one key the
  // one with the highest `weight` is said, once. Page-specific texts weigh 1.
  say(text, { key = null, weight = 0 } = {}) {
    text = String(text ?? "").trim();
    if (!text) return;
    const now = Date.now();
    if (key !== null && now - (this.recent.get(key) ?? -Infinity) < ANNOUNCE_REMEMBER_MS) return;
    const same = this.queue.find((entry) => (key !== null && entry.key === key) || entry.text === text);
    if (same) {
      if (weight > same.weight) Object.assign(same, { text, weight });
      return;
    }
    this.queue.push({ text, key, weight });
    if (this.timer === null) {
      const wait = Math.max(ANNOUNCE_GATHER_MS, this.lastAt + ANNOUNCE_GAP_MS - now);
      this.timer = window.setTimeout(() => this.flush(), wait);
    }
  }

  flush() {
    this.timer = null;
    const now = Date.now();
    const entries = this.queue.splice(0).slice(-ANNOUNCE_MAX_ITEMS);
    for (const [key, at] of this.recent) if (now - at >= ANNOUNCE_REMEMBER_MS) this.recent.delete(key);
    for (const entry of entries) if (entry.key !== null) this.recent.set(entry.key, now);
    this.lastAt = now;
    // New nodes rather than new text: an addition is spoken even if its words
    // are the same as last time's.
    this.region.replaceChildren(
      ...entries.map((entry) => {
        const line = document.createElement("p");
        line.textContent = entry.text;
        return line;
      }),
    );
    window.clearTimeout(this.clearTimer);
    this.clearTimer = window.setTimeout(() => this.region.replaceChildren(), ANNOUNCE_CLEAR_MS);
  }
}

// A count in the header (templates/partials/header.html renders the same
// markup, or an empty slot when nothing is unread): notifications, and the
// direct conversations waiting on "Chat".
class UnreadCount {
  constructor(slot, badgeId) {
    this.slot = slot;
    this.badgeId = badgeId;
    this.count = Number(slot?.dataset.count) || 0;
  }

  add(number = 1) {
    if (!this.slot || !number) return;
    this.count = Math.max(0, this.count + number);
    let badge = document.getElementById(this.badgeId);
    if (!this.count) {
      this.slot.replaceChildren();
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "count";
      badge.id = this.badgeId;
      this.slot.replaceChildren(" ", badge);
    }
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = ` ${this.slot.dataset.label}`;
    badge.replaceChildren(String(this.count), label);
  }
}

function reloadOnce() {
  const sinceLeaving = Date.now() - leavingAt;
  if (sinceLeaving < NAVIGATION_GRACE_MS) {
    window.setTimeout(reloadOnce, NAVIGATION_GRACE_MS - sinceLeaving);
    return;
  }
  try {
    const last = Number(window.sessionStorage.getItem(RELOAD_MARK)) || 0;
    if (Date.now() - last < RELOAD_AGAIN_MS) return;
    window.sessionStorage.setItem(RELOAD_MARK, String(Date.now()));
  } catch {
    // No session storage: reload anyway, the login page has no socket.
  }
  window.location.reload();
}

function start() {
  // The announcer is rendered for signed-in members only: nobody else gets a
  // socket (the server would refuse the handshake).
  const region = document.getElementById("live-announcer");
  if (!region || !("WebSocket" in window)) return { socket: null, announce: () => {} };
  const announcer = new Announcer(region);
  const unread = new UnreadCount(document.getElementById("notification-unread"), "notification-count");
  const direct = new UnreadCount(document.getElementById("chat-unread"), "chat-count");
  const socket = new ChatSocket();

  socket.addEventListener("status", ({ detail }) => {
    document.documentElement.dataset.socket = detail;
  });
  socket.addEventListener("notification", ({ detail }) => {
    if (detail.op === "read") {
      // Read elsewhere (another tab, or this chat room read to its end).
      unread.add(-detail.count);
      direct.add(-(detail.direct || 0));
      return;
    }
    if (detail.op !== "add") return;
    unread.add();
    if (detail.kind === "direct_message") direct.add();
    announcer.say(detail.title, { key: detail.url ?? null });
  });
  socket.addEventListener("session-ended", reloadOnce);
  window.addEventListener("beforeunload", () => {
    leavingAt = Date.now();
  });
  // An open socket keeps a page out of the back/forward cache; a page that
  // comes back from it reconnects, resubscribes and catches up.
  window.addEventListener("pagehide", () => socket.close());
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) socket.connect();
  });
  socket.connect();
  return { socket, announce: (text, options) => announcer.say(text, options) };
}

// One per tab even if this module runs twice: in production the page loads it
// under its hashed static name and the page scripts import it under the plain
// one, which are two modules to the browser.
const live = (window.zukunftsraumLive ??= start());

/** The tab's socket (a ChatSocket), or null on pages without live updates. */
export const socket = live.socket;
/** Say `text` through the page's one polite live region (see Announcer.say). */
export const announce = live.announce;
