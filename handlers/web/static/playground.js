// Playground: send the text to POST /api/check and draw the answer as the LINE card.
// Everything is built with textContent, never innerHTML: the message is untrusted text.
"use strict";

const HEADINGS = {
  reasons: "こう判断した理由",
  actions: "いますぐすること",
  contacts: { danger: "本物の連絡先・相談先", caution: "本物の連絡先・相談先", no_signs: "困ったときの相談先" },
  links: "報告先",
};
const SPOKEN = { danger: "危険", caution: "注意", no_signs: "目立った特徴なし" };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function section(title, items) {
  const wrap = el("section", "card-section");
  wrap.append(el("h4", null, title));
  const list = el(items.ordered ? "ol" : "ul");
  for (const item of items.nodes) {
    const li = el("li");
    li.append(item);
    list.append(li);
  }
  wrap.append(list);
  return wrap;
}

function contactNode(contact) {
  const box = el("div", "contact");
  box.append(el("strong", null, contact.name));
  if (contact.phone) {
    const tel = el("a", "tel", contact.phone);
    tel.href = "tel:" + encodeURIComponent(contact.phone.replace(/[^0-9#+]/g, ""));
    box.append(" ", tel);
  }
  if (contact.url) {
    const link = el("a", "url", contact.url);
    link.href = contact.url;
    link.rel = "noopener noreferrer";
    box.append(el("br"), link);
  }
  if (contact.note) box.append(el("span", "contact-note", contact.note));
  return box;
}

function drawMessage(segments) {
  const box = document.getElementById("message");
  box.replaceChildren();
  for (const piece of segments) {
    if (!piece.reasons.length) {
      box.append(piece.text);
      continue;
    }
    const mark = el("mark", "evidence", piece.text);
    const numbers = piece.reasons.map((r) => r + 1).join(",");
    mark.title = "理由 " + numbers + " の根拠";
    const tag = el("sup", "evidence-tag", numbers);
    tag.setAttribute("aria-label", "(理由 " + numbers + " の根拠)");
    box.append(mark, tag);
  }
}

function drawCard(data) {
  const card = document.getElementById("card");
  card.className = "card verdict-" + data.verdict;
  document.getElementById("card-label").textContent = data.card.label;
  document.getElementById("card-title").textContent = data.card.title;
  document.getElementById("card-summary").textContent = data.card.summary;
  const sections = document.getElementById("card-sections");
  sections.replaceChildren();
  if (data.card.reasons.length) {
    const nodes = data.card.reasons.map((text, i) => {
      const line = el("span");
      line.append(el("span", "reason-number", String(i + 1)), text);
      return line;
    });
    sections.append(section(HEADINGS.reasons, { nodes, ordered: true }));
  }
  if (data.card.actions.length) {
    sections.append(section(HEADINGS.actions, { nodes: data.card.actions.map((a) => el("span", null, a)) }));
  }
  if (data.card.contacts.length) {
    sections.append(section(HEADINGS.contacts[data.verdict], { nodes: data.card.contacts.map(contactNode) }));
  }
  if (data.card.links.length) {
    const nodes = data.card.links.map((link) => {
      const a = el("a", null, link.title);
      a.href = link.url;
      a.rel = "noopener noreferrer";
      return a;
    });
    sections.append(section(HEADINGS.links, { nodes }));
  }
}

function drawGroup(data) {
  const text = document.getElementById("group-text");
  const alert = document.getElementById("group-alert");
  if (data.group_alert) {
    text.textContent = "グループにはこのお知らせを投稿します。";
    alert.textContent = data.group_alert_text;
    alert.hidden = false;
  } else {
    text.textContent = "グループにはお知らせしません(ふだんの会話を邪魔しないため、「危険」のときだけ投稿します)。";
    alert.hidden = true;
  }
  document.getElementById("group").className = "group" + (data.group_alert ? " alerted" : "");
}

function draw(data) {
  drawMessage(data.segments);
  drawCard(data);
  drawGroup(data);
  document.getElementById("reply-text").textContent = data.reply;
  document.getElementById("result").hidden = false;
  const reasons = data.card.reasons.length ? "理由 " + data.card.reasons.length + " 件。" : "";
  const group = data.group_alert ? "グループにお知らせします。" : "グループにはお知らせしません。";
  setStatus("判定: " + SPOKEN[data.verdict] + "。" + reasons + group, false);
}

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = "status" + (isError ? " error" : "");
}

async function check(event) {
  if (event) event.preventDefault();
  const text = document.getElementById("sms").value;
  const sender = document.getElementById("sender").value.trim();
  if (!text.trim()) {
    setStatus("SMSの文章を入力してください。", true);
    document.getElementById("sms").focus();
    return;
  }
  const button = document.getElementById("check-button");
  button.disabled = true;
  setStatus("チェックしています…", false);
  try {
    const response = await fetch("/api/check", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, sender: sender || null }),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || String(response.status));
    draw(data);
  } catch (error) {
    setStatus("チェックできませんでした(" + error.message + ")。時間をおいてもう一度お試しください。", true);
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("check-form").addEventListener("submit", check);
  // Ctrl+Enter (or ⌘+Enter) in the text box checks at once, as in chat apps.
  document.getElementById("sms").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) check(event);
  });
  for (const button of document.querySelectorAll("button.sample")) {
    button.addEventListener("click", () => {
      document.getElementById("sms").value = button.dataset.text;
      document.getElementById("sender").value = button.dataset.sender;
      check();
    });
  }
});
