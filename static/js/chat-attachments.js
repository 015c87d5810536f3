// Files in the chat: choosing a file, or pasting or dropping an image into
// the message, uploads it into the room (chat/views/attachments.py) and puts
// its Markdown at the cursor: ![name](/chat/anhang/…) shows an image in the
// message, [name](…) links any other file. The server serves it only to
// those who may open the room. Without JavaScript the file field stays
// hidden (the plain form sends text only).
const box = document.getElementById("chat-attach");
const textarea = document.getElementById("id_body");
const form = document.getElementById("chat-form");

function say(text) {
  document.getElementById("chat-attach-status").textContent = text;
}

function insert(markdown) {
  const start = textarea.selectionStart ?? textarea.value.length;
  const end = textarea.selectionEnd ?? start;
  const before = textarea.value.slice(0, start);
  const gap = before && !/\s$/.test(before) ? " " : "";
  textarea.value = before + gap + markdown + textarea.value.slice(end);
  const caret = before.length + gap.length + markdown.length;
  textarea.focus();
  textarea.setSelectionRange(caret, caret);
  // The draft and the typing hint hear of it as of any typing.
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

async function upload(file) {
  const name = file.name || "bild.png";
  say(box.dataset.uploading.replace("{name}", name));
  const data = new FormData();
  data.set("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
  data.set("file", file, name);
  try {
    const response = await fetch(box.dataset.uploadUrl, { method: "POST", body: data });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.message || box.dataset.failed);
    insert(answer.markdown);
    say(box.dataset.uploaded.replace("{name}", answer.name));
  } catch (problem) {
    say(problem.message || box.dataset.failed);
  }
}

function uploadImages(files) {
  const images = [...files].filter((file) => file.type.startsWith("image/"));
  for (const image of images) {
    // A pasted screenshot is just "image.png": give it a name of its own.
    const extension = image.type === "image/jpeg" ? "jpg" : image.type.split("/")[1];
    const named = image.name && image.name !== `image.${extension}` ? image : new File([image], `bild-${Date.now()}.${extension}`, { type: image.type });
    upload(named);
  }
  return images.length > 0;
}

if (box && textarea && form) {
  box.hidden = false;
  const input = document.getElementById("chat-file");
  input.addEventListener("change", () => {
    for (const file of input.files) upload(file);
    input.value = "";
  });
  textarea.addEventListener("paste", (event) => {
    if (uploadImages(event.clipboardData?.files ?? [])) event.preventDefault();
  });
  textarea.addEventListener("dragover", (event) => {
    if ([...(event.dataTransfer?.items ?? [])].some((item) => item.kind === "file")) event.preventDefault();
  });
  textarea.addEventListener("drop", (event) => {
    if (uploadImages(event.dataTransfer?.files ?? [])) event.preventDefault();
  });
}
