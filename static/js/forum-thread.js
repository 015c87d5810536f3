// Live thread: while a member reads a thread, new posts are announced.
// Progressive enhancement only: without JavaScript the page works the same.
(function () {
  "use strict";
  var article = document.getElementById("thread");
  var banner = document.getElementById("new-posts");
  var status = document.getElementById("live-status");
  if (!article || !banner || !("WebSocket" in window)) return;
  var threadId = Number(article.dataset.thread);
  var lastPosition = Number(article.dataset.lastPosition);
  var retry = 1000;

  function announce(text) {
    if (status) status.textContent = text;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/");
    socket.onopen = function () {
      retry = 1000;
      socket.send(JSON.stringify({ type: "forum.watch", thread: threadId }));
    };
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (event.type !== "forum.post" || event.thread !== threadId) return;
      if (event.op === "add" && event.position > lastPosition) {
        lastPosition = event.position;
        banner.hidden = false;
        announce(banner.textContent.trim());
      }
    };
    socket.onclose = function () {
      // Reconnect with backoff; the banner link always shows the current state.
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  connect();
})();
