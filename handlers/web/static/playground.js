// Playground: send the text to POST /api/check and draw the answer as the LINE card.
// Everything is built with textContent, never innerHTML: the message is untrusted text.
"use strict";

const SPOKEN = { danger: "危険", caution: "注意", no_signs: "目立った特徴なし" };
const REASONS_HEADING = "こう判断した理由";
const SAFE_URI = /^(https?:|tel:)/;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// A small renderer for the Flex components the bot uses (bubble, box, text, button), following LINE's
// layout rules closely enough that the page shows the card a LINE user receives, from the same JSON.
function flexText(component, number) {
  const uri = component.action && component.action.type === "uri" ? component.action.uri : null;
  const node = el(uri && SAFE_URI.test(uri) ? "a" : "p", "flex-text flex-size-" + (component.size || "md"));
  if (node.tagName === "A") {
    node.href = uri;
    node.rel = "noopener noreferrer";
  }
  if (component.weight === "bold") node.classList.add("flex-bold");
  if (component.decoration === "underline") node.classList.add("flex-underline");
  if (component.color) node.style.color = component.color;
  let text = component.text;
  if (number) {
    node.append(el("span", "reason-number", String(number)));
    text = text.replace(/^・/, "");
  }
  node.append(text);
  return node;
}

function flexButton(component) {
  // Postback buttons only work inside LINE: shown as they look, but not focusable or clickable here.
  const node = el("span", "flex-button flex-button-" + (component.style || "link"), component.action.label);
  node.setAttribute("aria-disabled", "true");
  return node;
}

function flexBox(component) {
  const node = el("div", "flex-box flex-" + (component.layout || "vertical"));
  if (component.backgroundColor) node.style.backgroundColor = component.backgroundColor;
  if (component.spacing) node.classList.add("flex-spacing-" + component.spacing);
  const children = component.contents || [];
  const isReasons = children.length && children[0].type === "text" && children[0].text === REASONS_HEADING;
  children.forEach((child, i) => node.append(flexComponent(child, isReasons && i > 0 ? i : 0)));
  if (isReasons) node.classList.add("flex-reasons");
  return node;
}

function flexComponent(component, number) {
  let node;
  if (component.type === "box") node = flexBox(component);
  else if (component.type === "text") node = flexText(component, number);
  else if (component.type === "button") node = flexButton(component);
  else node = el("div", "flex-unknown");
  if (component.margin) node.classList.add("flex-margin-" + component.margin);
  return node;
}

function drawFlex(message) {
  const bubble = message.contents;
  const card = document.getElementById("card");
  card.replaceChildren();
  for (const part of ["header", "hero", "body", "footer"]) {
    if (!bubble[part]) continue;
    const block = el("div", "flex-block flex-" + part);
    block.append(flexComponent(bubble[part], 0));
    card.append(block);
  }
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
  drawFlex(data.line_flex);
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
