// Live thread: while a member reads a thread, new posts are announced and a
// banner links to them. Uses the tab's one socket (live.js). Progressive
// enhancement only: without JavaScript the page works the same.
import { announce, socket } from "./live.js";

const article = document.getElementById("thread");
const banner = document.getElementById("new-posts");

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
    if (detail.thread !== thread || detail.op !== "add") return;
    if (detail.position <= lastPosition) return;
    lastPosition = detail.position;
    banner.hidden = false;
    // Said instead of the notification of the same post, should one come too.
    announce(banner.textContent, { key: detail.url ?? null, weight: 1 });
  });
  socket.watch(thread);
}
