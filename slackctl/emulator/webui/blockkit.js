// The web UI's rendering of Slack's formats: DOM helpers, mrkdwn and Block Kit (blocks and elements).
// Loaded before app.js; it uses app.js's state (S), names (userName, channelName) and act() when it renders.
// An app's strings are untrusted: everything is built with createElement/textContent, never parsed as HTML.
"use strict";

// ---- DOM helpers -------------------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function toast(text) {
  const t = $("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
}

// ---- mrkdwn, safely ----------------------------------------------------------------------------------------
function unescapeSlack(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
function safeHref(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}
const MRKDWN = /```([\s\S]*?)```|`([^`\n]+)`|<([^<>\n]+)>|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~/g;

function mrkdwn(text, parent) {
  const out = parent || el("span", { class: "text" });
  let last = 0;
  text = String(text || "");
  for (const m of text.matchAll(MRKDWN)) {
    if (m.index > last) out.append(unescapeSlack(text.slice(last, m.index)));
    last = m.index + m[0].length;
    if (m[1] !== undefined) out.append(el("pre", { text: unescapeSlack(m[1]) }));
    else if (m[2] !== undefined) out.append(el("code", { text: unescapeSlack(m[2]) }));
    else if (m[3] !== undefined) out.append(angle(m[3]));
    else if (m[4] !== undefined) out.append(mrkdwn(m[4], el("b")));
    else if (m[5] !== undefined) out.append(mrkdwn(m[5], el("i")));
    else if (m[6] !== undefined) out.append(mrkdwn(m[6], el("s")));
  }
  if (last < text.length) out.append(unescapeSlack(text.slice(last)));
  return out;
}

function angle(inner) {
  const [target, label] = inner.split("|", 2);
  if (target.startsWith("@")) return el("span", { class: "mention", text: `@${label || userName(target.slice(1))}` });
  if (target.startsWith("#")) return el("span", { class: "mention", text: `#${label || channelName(target.slice(1))}` });
  if (target.startsWith("!")) {
    const word = target.slice(1).split("^")[0];
    return el("span", { class: "mention", text: label || `@${word.replace(/^subteam/, "group")}` });
  }
  const href = safeHref(unescapeSlack(target));
  if (!href) return document.createTextNode(`<${unescapeSlack(inner)}>`);
  return el("a", { href, target: "_blank", rel: "noopener noreferrer", text: unescapeSlack(label || target) });
}

function textObject(obj) {
  if (!obj) return el("span");
  if (typeof obj === "string") return mrkdwn(obj);
  if (obj.type === "mrkdwn") return mrkdwn(obj.text);
  return el("span", { class: "text", text: obj.text || "" });
}
const plain = (obj) => (obj && typeof obj === "object" ? obj.text || "" : String(obj || ""));

// ---- Block Kit ---------------------------------------------------------------------------------------------
// ctx: {surface: "message"|"modal"|"home", channel, ts, viewId}. Elements in an `input` block only collect the
// user's value (sent with the submission); elsewhere they act at once (block_actions through drive/click).
function renderBlocks(blocks, ctx) {
  const box = el("div", { class: "blocks" });
  for (const block of blocks || []) box.append(renderBlock(block, ctx));
  return box;
}

function unknown(kind, json) {
  return el("div", { class: "unknown", dataset: { unknown: kind } },
    el("div", { class: "label", text: `Unsupported ${kind}` }), el("pre", { text: JSON.stringify(json, null, 2) }));
}

function renderBlock(block, ctx) {
  const attrs = (cls) => ({ class: cls, dataset: { blockId: block.block_id || "", blockType: block.type } });
  switch (block.type) {
    case "section": {
      const body = el("div", { class: "section-body" });
      if (block.text) body.append(textObject(block.text));
      if (block.fields) body.append(el("div", { class: "fields" }, block.fields.map(textObject)));
      const node = el("div", attrs("block-section"), body);
      if (block.accessory) node.append(renderElement(block.accessory, block, ctx, false));
      return node;
    }
    case "header": return el("h3", attrs("block-header"), plain(block.text));
    case "divider": return el("hr", attrs("block-divider"));
    case "context":
      return el("div", attrs("block-context"), (block.elements || []).map((e) => (e.type === "image"
        ? el("span", { class: "alt", text: `[${e.alt_text || "image"}]` }) : textObject(e))));
    case "image": {
      const href = safeHref(block.image_url || "");
      // Never fetched (offline, and an app's URL is untrusted): the alt text and a link.
      return el("figure", attrs("block-image"), block.title ? el("figcaption", { text: plain(block.title) }) : null,
        el("span", { class: "alt", text: `[image: ${block.alt_text || ""}]` }), " ",
        href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: block.image_url }) : null);
    }
    case "actions": case "context_actions":
      return el("div", attrs(`block-${block.type.replace("_", "-")}`),
        (block.elements || []).map((e) => renderElement(e, block, ctx, false)));
    case "input": {
      const key = `${block.block_id || ""}.${(block.element || {}).action_id || ""}`;
      const error = (S.errors[ctx.viewId] || {})[block.block_id];
      return el("div", attrs("block-input"),
        el("label", { class: "input-label", text: plain(block.label) + (block.optional ? " (optional)" : "") }),
        block.element ? renderElement(block.element, block, ctx, true) : null,
        block.hint ? el("div", { class: "hint", text: plain(block.hint) }) : null,
        error ? el("div", { class: "error", text: error, dataset: { errorFor: key } }) : null);
    }
    case "rich_text": return el("div", attrs("block-rich-text"), richText(block.elements));
    default: return unknown(`block: ${block.type}`, block);
  }
}

function richText(elements) {
  const out = el("span", { class: "text" });
  for (const part of elements || []) {
    if (part.elements) out.append(richText(part.elements));
    else if (part.type === "text") out.append(part.style && part.style.code ? el("code", { text: part.text }) : part.text);
    else if (part.type === "user") out.append(el("span", { class: "mention", text: `@${userName(part.user_id)}` }));
    else if (part.type === "channel") out.append(el("span", { class: "mention", text: `#${channelName(part.channel_id)}` }));
    else if (part.type === "link") out.append(angle(`${part.url}|${part.text || part.url}`));
    else if (part.type === "emoji") out.append(`:${part.name}:`);
    else if (part.type === "broadcast") out.append(el("span", { class: "mention", text: `@${part.range}` }));
  }
  return out;
}

function options(element) {
  const all = [...(element.options || [])];
  for (const g of element.option_groups || []) all.push(...(g.options || []));
  return all;
}

// The value the driver takes for an element, from the DOM control (multi-values joined by commas).
function controlValue(element, control) {
  if (control.multiple) return [...control.selectedOptions].map((o) => o.value).join(",");
  return control.value;
}

function renderElement(element, block, ctx, collect) {
  const key = `${block.block_id || ""}.${element.action_id || ""}`;
  const saved = ctx.viewId ? (S.inputs[ctx.viewId] || {})[key] : undefined;
  const data = { actionId: element.action_id || "", elementType: element.type || "" };
  const changed = (value) => {
    if (ctx.viewId) (S.inputs[ctx.viewId] = S.inputs[ctx.viewId] || {})[key] = value;
    if (!collect || block.dispatch_action) act(ctx, element, value);
  };
  const selectOf = (items, initial, multiple, placeholder) => {
    const sel = el("select", { multiple, dataset: data, "aria-label": plain(placeholder) || element.action_id });
    if (!multiple) sel.append(el("option", { value: "", text: plain(placeholder) || "Choose…" }));
    for (const item of items) {
      const chosen = saved !== undefined ? saved.split(",").includes(item.value) : initial.includes(item.value);
      sel.append(el("option", { value: item.value, text: item.text, selected: chosen }));
    }
    sel.addEventListener("change", () => changed(controlValue(element, sel)));
    return sel;
  };
  const people = () => S.ws.users.filter((u) => !u.is_bot).map((u) => ({ value: u.id, text: u.name }));
  const convs = (dms) => S.ws.channels.map((c) => ({ value: c.id, text: `#${c.name}` }))
    .concat(dms ? S.ws.dms.map((c) => ({ value: c.id, text: c.name })) : []);
  const opts = () => options(element).map((o) => ({ value: o.value, text: plain(o.text) }));
  const one = (x) => (x ? [x] : []);
  switch (element.type) {
    case "button": case "icon_button":
      return el("button", { type: "button", class: `btn ${element.style || ""}`, dataset: data,
        text: plain(element.text), onclick: () => act(ctx, element, element.value || "") });
    case "feedback_buttons":  // 👍 / 👎 under an assistant's answer: each sends its own value
      return el("span", { class: "feedback", dataset: data }, ["positive_button", "negative_button"].map((k) => {
        const b = element[k] || {};
        return el("button", { type: "button", class: "btn", dataset: { feedback: k.split("_")[0] },
          text: plain(b.text), onclick: () => act(ctx, element, b.value || "") });
      }));
    case "overflow": {
      const sel = el("select", { dataset: data, "aria-label": "More actions" }, el("option", { value: "", text: "⋯" }),
        opts().map((o) => el("option", { value: o.value, text: o.text })));
      sel.addEventListener("change", () => { if (sel.value) act(ctx, element, sel.value); });
      return sel;
    }
    case "static_select": case "external_select":
      return selectOf(opts(), one(element.initial_option && element.initial_option.value), false, element.placeholder);
    case "multi_static_select": case "multi_external_select":
      return selectOf(opts(), (element.initial_options || []).map((o) => o.value), true, element.placeholder);
    case "users_select": return selectOf(people(), one(element.initial_user), false, element.placeholder);
    case "multi_users_select": return selectOf(people(), element.initial_users || [], true, element.placeholder);
    case "conversations_select":
      return selectOf(convs(true), one(element.initial_conversation), false, element.placeholder);
    case "multi_conversations_select":
      return selectOf(convs(true), element.initial_conversations || [], true, element.placeholder);
    case "channels_select": return selectOf(convs(false), one(element.initial_channel), false, element.placeholder);
    case "multi_channels_select":
      return selectOf(convs(false), element.initial_channels || [], true, element.placeholder);
    case "checkboxes": case "radio_buttons": {
      const radio = element.type === "radio_buttons";
      const initial = radio ? one(element.initial_option && element.initial_option.value)
        : (element.initial_options || []).map((o) => o.value);
      const current = saved !== undefined ? saved.split(",") : initial;
      const group = el("div", { class: "choices", dataset: data });
      const name = `${ctx.viewId || ctx.ts}-${key}`;
      const read = () => [...group.querySelectorAll("input:checked")].map((i) => i.value).join(",");
      for (const o of options(element)) {
        group.append(el("label", { class: "choice" },
          el("input", { type: radio ? "radio" : "checkbox", name, value: o.value, checked: current.includes(o.value),
            onchange: () => changed(read()) }), " ", textObject(o.text)));
      }
      return group;
    }
    case "datepicker": case "timepicker": {
      const date = element.type === "datepicker";
      const input = el("input", { type: date ? "date" : "time", dataset: data,
        value: saved !== undefined ? saved : (date ? element.initial_date : element.initial_time) || "" });
      input.addEventListener("change", () => changed(input.value));
      return input;
    }
    case "plain_text_input": case "number_input": case "email_text_input": case "url_text_input": {
      const type = { number_input: "number", email_text_input: "email", url_text_input: "url" }[element.type] || "text";
      const input = element.multiline ? el("textarea", { rows: 3, dataset: data })
        : el("input", { type, dataset: data });
      input.placeholder = plain(element.placeholder);
      input.value = saved !== undefined ? saved : element.initial_value || "";
      input.addEventListener("input", () => changed(input.value));
      return input;
    }
    default: return unknown(`element: ${element.type}`, element);
  }
}

async function act(ctx, element, value) {
  const body = { action_id: element.action_id, value };
  if (ctx.viewId) body.view = ctx.viewId;
  else body.message = `${ctx.channel}:${ctx.ts}`;
  await drive("click", body);
}

