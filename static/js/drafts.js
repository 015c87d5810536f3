// Drafts: what a member types into a composer is kept on the server as they
// type (community/views/drafts.py), per member and place ("chat:12",
// "reply:42", "thread:mobilitaet"), and the page renders it back into the
// composer next time, on any device. Leaving the page while the newest words
// are not saved yet sends them on the way out and, if that cannot be
// trusted, asks first.
const SAVE_AFTER_MS = 800;

export class Draft {
  /**
   * form: the composer's form (its CSRF token is used);
   * place: where the draft belongs; url: the save endpoint;
   * fields: {text: <textarea>, title: <input> (optional)};
   * status: an element that says "Draft saved" (optional), with
   * data-saved / data-saving / data-failed texts.
   */
  constructor({ form, place, url, fields, status = null }) {
    this.form = form;
    this.place = place;
    this.url = url;
    this.fields = fields;
    this.status = status;
    this.timer = null;
    this.saved = this.snapshot();
    this.inFlight = null;
    for (const field of Object.values(fields)) {
      field?.addEventListener("input", () => this.schedule());
    }
    window.addEventListener("beforeunload", (event) => {
      if (!this.dirty()) return;
      // Try to keep the words; the browser asks the member in case it fails.
      this.beacon();
      event.preventDefault();
      event.returnValue = "";
    });
    window.addEventListener("pagehide", () => {
      if (this.dirty()) this.beacon();
    });
  }

  snapshot() {
    return JSON.stringify([this.fields.text?.value ?? "", this.fields.title?.value ?? ""]);
  }

  dirty() {
    return this.snapshot() !== this.saved;
  }

  body(text, title) {
    const data = new FormData();
    data.set("csrfmiddlewaretoken", this.form.querySelector("[name=csrfmiddlewaretoken]")?.value ?? "");
    data.set("place", this.place);
    data.set("text", text);
    data.set("title", title);
    return data;
  }

  show(state) {
    if (!this.status) return;
    this.status.textContent = state ? this.status.dataset[state] ?? "" : "";
  }

  schedule() {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.save(), SAVE_AFTER_MS);
  }

  async save() {
    window.clearTimeout(this.timer);
    const snapshot = this.snapshot();
    if (snapshot === this.saved) return;
    const [text, title] = JSON.parse(snapshot);
    this.show("saving");
    try {
      const response = await fetch(this.url, { method: "POST", body: this.body(text, title) });
      if (!response.ok) throw new Error(`draft ${response.status}`);
      this.saved = snapshot;
      this.show(text.trim() || title.trim() ? "saved" : null);
    } catch {
      this.show("failed");
    }
  }

  beacon() {
    const [text, title] = JSON.parse(this.snapshot());
    if (navigator.sendBeacon?.(this.url, this.body(text, title))) this.saved = this.snapshot();
  }

  // The text was sent: the draft is gone (here and on the server).
  async discard() {
    window.clearTimeout(this.timer);
    this.show(null);
    this.saved = this.snapshot();
    try {
      await fetch(this.url, { method: "POST", body: this.body("", "") });
    } catch {
      // The server forgets it when the next draft of this place is saved.
    }
  }
}
