// Live thread: while a member reads a thread, new posts are announced and a
// banner links to them; moderation changes (a post hidden, the thread locked,
// moved or split) show a second banner that reloads the page. Uses the tab's
// one socket (live.js). Keyboard shortcuts as in Discourse: j/k next and
// previous post, r reply, q quote the current post (shortcuts.js adds "/"
// and "?"). Progressive enhancement only: without JavaScript the page works
// the same.
import { announce, socket } from "./live.js";
import { addShortcut } from "./shortcuts.js";

const article = document.getElementById("thread");
const banner = document.getElementById("new-posts");
const changed = document.getElementById("thread-changed");

// Post events that change what the page shows (reactions only change counts).
const POST_CHANGES = new Set(["edit", "hidden", "restored", "removed", "approved"]);

function showChanged(key) {
  if (!changed) return;
  changed.hidden = false;
  announce(changed.textContent, { key, weight: 1 });
}

if (socket && article && banner) {
  const thread = Number(article.dataset.thread);
  let lastPosition = Number(article.dataset.lastPosition);

  socket.addEventListener("forum.watching", ({ detail }) => {
    if (detail.thread === thread) article.dataset.watching = "true";
  });
  socket.addEventListener("status", ({ detail }) => {
    if (detail !== "live") delete article.dataset.watching;
  });
  socket.addEventListener("forum.post", ({ detail }) => {
    if (detail.thread !== thread) return;
    if (POST_CHANGES.has(detail.op)) {
      showChanged(detail.url ?? null);
      return;
    }
    if (detail.op !== "add") return;
    // An approved post may have a position the page already counted.
    if (detail.position <= lastPosition && !document.getElementById(`beitrag-${detail.post}`)) {
      showChanged(detail.url ?? null);
      return;
    }
    if (detail.position <= lastPosition) return;
    lastPosition = detail.position;
    banner.hidden = false;
    // Said instead of the notification of the same post, should one come too.
    announce(banner.textContent, { key: detail.url ?? null, weight: 1 });
  });
  socket.addEventListener("forum.unwatched", ({ detail }) => {
    // Access ended (the thread moved into a restricted space): reload.
    if (detail.thread === thread && detail.reason) window.location.reload();
  });
  socket.addEventListener("forum.thread", ({ detail }) => {
    if (detail.thread !== thread) return;
    showChanged(`thread-${thread}-${detail.op}`);
  });
  socket.watch(thread);
}

// --- Keyboard shortcuts ------------------------------------------------------

function posts() {
  return [...document.querySelectorAll("#posts > li.post")];
}

function currentPost() {
  return document.activeElement?.closest?.("#posts > li.post") ?? null;
}

function step(direction) {
  const all = posts();
  if (!all.length) return;
  const current = currentPost();
  let index;
  if (current) {
    index = all.indexOf(current) + direction;
  } else {
    // From nowhere, j starts at the first post in view, k at the one before.
    const firstInView = all.findIndex((post) => post.getBoundingClientRect().bottom > 0);
    index = firstInView === -1 ? all.length - 1 : firstInView + (direction > 0 ? 0 : -1);
  }
  const target = all[Math.min(Math.max(index, 0), all.length - 1)];
  target.tabIndex = -1;
  target.focus();
}

if (article) {
  const words = article.dataset;
  addShortcut("j", words.shortcutNext, () => step(1));
  addShortcut("k", words.shortcutPrevious, () => step(-1));
  const composer = document.querySelector("#composer textarea[name=source]");
  if (composer) {
    addShortcut("r", words.shortcutReply, () => {
      composer.focus();
      composer.scrollIntoView({ block: "center" });
    });
    addShortcut("q", words.shortcutQuote, () => {
      const link = currentPost()?.querySelector("a.quote-link");
      if (link) link.click();
      else composer.focus();
    });
  }
}
