// Live thread: while a member reads a thread, new posts are announced and a
// banner links to them; moderation changes (a post hidden, the thread locked,
// moved or split) show a second banner that reloads the page. Uses the tab's
// one socket (live.js). Progressive enhancement only: without JavaScript the
// page works the same.
import { announce, socket } from "./live.js";

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
