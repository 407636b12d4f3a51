/* Kohtaamo feedback prompt. Served by Kohtaamo itself: no cookies, no external resources, no globals. */
(function () {
  "use strict";
  var CONFIG = __KOHTAAMO_CONFIG__;
  var DAY_MS = 86400000;
  var TIMEOUT_MS = 8000;
  var CSS =
    ":host{all:initial}" +
    ".box{position:fixed;right:16px;bottom:16px;z-index:2147483000;box-sizing:border-box;width:360px;" +
    "max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);overflow:auto;background:#fff;color:#1a1a1a;" +
    "border:1px solid #767676;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.25);padding:16px;" +
    "font:16px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;text-align:left}" +
    ".box.inline{position:relative;right:auto;bottom:auto;max-height:none;box-shadow:none}" +
    "@media (max-width:480px){.box:not(.inline){right:0;left:0;bottom:0;width:auto;max-width:none;" +
    "border-radius:8px 8px 0 0}}" +
    "fieldset{border:0;margin:0;padding:0;min-width:0}" +
    "legend{font-weight:600;padding:0 40px 8px 0}" +
    ".scale{display:flex;flex-wrap:wrap;gap:4px}" +
    ".opt{position:relative;flex:1 0 36px}" +
    ".opt input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}" +
    ".num{display:flex;align-items:center;justify-content:center;min-height:44px;border:1px solid #595959;" +
    "border-radius:6px;background:#fff}" +
    ".opt input:checked+.num{background:#0b5394;border-color:#0b5394;color:#fff;font-weight:600}" +
    ".opt input:focus-visible+.num,button:focus-visible,textarea:focus-visible,.thanks:focus-visible" +
    "{outline:3px solid #c77c00;outline-offset:2px}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    ".ends{display:flex;justify-content:space-between;gap:8px;margin-top:4px;font-size:14px;color:#3d3d3d}" +
    ".comment{display:block;margin-top:12px}" +
    "textarea{display:block;width:100%;box-sizing:border-box;margin-top:4px;padding:8px;font:inherit;" +
    "border:1px solid #595959;border-radius:6px;resize:vertical}" +
    ".send{margin-top:12px;min-height:44px;padding:0 20px;border:0;border-radius:6px;background:#0b5394;" +
    "color:#fff;font:inherit;font-weight:600;cursor:pointer}" +
    ".send[disabled]{opacity:.7;cursor:wait}" +
    ".close{position:absolute;top:4px;right:4px;width:44px;height:44px;border:0;background:transparent;" +
    "color:#1a1a1a;font-family:inherit;font-size:24px;line-height:1;cursor:pointer}" +
    ".msg{min-height:1.4em;margin:8px 0 0}.msg.error{color:#a30000}" +
    ".thanks{margin:0;padding:4px 40px 4px 0;font-weight:600}";

  function optedOut() {
    var nav = window.navigator || {};
    return nav.doNotTrack === "1" || window.doNotTrack === "1" || nav.globalPrivacyControl === true;
  }

  // The frequency cap, per browser and widget: once shown, not shown again for showCapDays; once answered
  // or dismissed, not for capDays. Event times (not expiry times) are kept, so a changed cap applies at once.
  // localStorage belongs to the page's origin: each of the organisation's sites keeps its own count.
  function storageKey() {
    return "kohtaamo-widget:" + CONFIG.key;
  }
  function remembered() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storageKey()) || "{}");
      if (typeof stored === "number") return { until: stored }; // an older script kept the expiry time
      return stored && typeof stored === "object" ? stored : {};
    } catch (e) {
      return {};
    }
  }
  function suppressed() {
    var seen = remembered();
    var now = Date.now();
    return (
      (Number(seen.shown) || 0) + CONFIG.showCapDays * DAY_MS > now ||
      (Number(seen.closed) || 0) + CONFIG.capDays * DAY_MS > now ||
      (Number(seen.until) || 0) > now
    );
  }
  function remember(event) {
    if (CONFIG.preview) return;
    try {
      var seen = remembered();
      seen[event] = Date.now();
      window.localStorage.setItem(storageKey(), JSON.stringify(seen));
    } catch (e) {
      /* storage blocked: the prompt may come back, nothing breaks */
    }
  }

  function pageLanguage() {
    var lang = ((document.documentElement && document.documentElement.lang) || "").slice(0, 2).toLowerCase();
    return CONFIG.texts[lang] ? lang : "fi";
  }

  // One idempotency key per answer: a retry of the same answer can never be stored twice.
  function newKey() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = "";
    for (var i = 0; i < 16; i++) {
      h += (b[i] + 0x100).toString(16).slice(1);
      if (i === 3 || i === 5 || i === 7 || i === 9) h += "-";
    }
    return h;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, name)) node.setAttribute(name, attrs[name]);
    }
    for (var i = 0; i < (children || []).length; i++) {
      var child = children[i];
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function send(payload, done) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) controller.abort();
    }, TIMEOUT_MS);
    function finish(outcome) {
      clearTimeout(timer);
      done(outcome);
    }
    try {
      window
        .fetch(CONFIG.endpoint, {
          method: "POST",
          mode: "cors",
          credentials: "omit",
          cache: "no-store",
          referrerPolicy: "no-referrer",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(payload),
          signal: controller ? controller.signal : undefined,
        })
        .then(
          function (r) {
            finish(r.status === 200 || r.status === 201 ? "ok" : "failed");
          },
          function () {
            finish("failed");
          }
        );
    } catch (e) {
      finish("failed");
    }
  }

  function scaleOptions(question, labels) {
    var options = [];
    for (var v = question.min; v <= question.max; v++) {
      var label = labels[String(v)];
      var parts = [el("input", { type: "radio", name: "value", value: String(v) }), el("span", { class: "num", "aria-hidden": "true" }, [String(v)])];
      parts.push(el("span", { class: "sr" }, [label ? v + " – " + label : String(v)]));
      options.push(el("label", { class: "opt" }, parts));
    }
    return el("div", { class: "scale" }, options);
  }

  // A constructed style sheet passes a host page's strict style-src policy; <style> is the fallback.
  function addStyles(root) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.appendChild(el("style", {}, [CSS]));
    }
  }

  function build(lang) {
    var t = CONFIG.texts[lang];
    var question = CONFIG.question;
    var labels = question.labels[lang] || {};
    var host = el("div", { "data-kohtaamo-widget": "" });
    var root = host.attachShadow({ mode: "open" });
    var slot = CONFIG.preview ? document.getElementById("kohtaamo-widget-preview") : null;
    addStyles(root);

    var box = el("section", { class: slot ? "box inline" : "box", role: "region", "aria-label": t.region, lang: lang });
    var close = el("button", { type: "button", class: "close", "aria-label": t.close, title: t.close }, ["×"]);
    var fieldset = el("fieldset", {}, [
      el("legend", {}, [question.texts[lang]]),
      scaleOptions(question, labels),
      el("div", { class: "ends", "aria-hidden": "true" }, [
        el("span", {}, [labels[String(question.min)] || ""]),
        el("span", {}, [labels[String(question.max)] || ""]),
      ]),
    ]);
    var form = el("form", { novalidate: "" }, [fieldset]);
    var comment = null;
    if (CONFIG.comment) {
      comment = el("textarea", { id: "kw-comment", rows: "3", maxlength: String(CONFIG.comment.maxLength) });
      form.appendChild(
        el("label", { class: "comment", for: "kw-comment" }, [CONFIG.comment.texts[lang] + " (" + t.optional + ")"])
      );
      form.appendChild(comment);
    }
    var message = el("p", { class: "msg", role: "status", "aria-live": "polite" });
    var submit = el("button", { type: "submit", class: "send" }, [t.send]);
    form.appendChild(message);
    form.appendChild(submit);
    box.appendChild(close);
    box.appendChild(form);
    root.appendChild(box);

    var key = newKey();
    var busy = false;

    function say(text, isError) {
      message.textContent = text;
      message.className = isError ? "msg error" : "msg";
    }
    function dismiss() {
      remember("closed");
      if (host.parentNode) host.parentNode.removeChild(host);
    }
    function thank() {
      remember("closed");
      var thanks = el("p", { class: "thanks", tabindex: "-1", role: "status" }, [t.thanks]);
      box.replaceChild(thanks, form);
      thanks.focus();
    }

    close.addEventListener("click", dismiss);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") dismiss();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;
      var chosen = form.querySelector("input[name=value]:checked");
      if (!chosen) {
        say(t.choose, true);
        form.querySelector("input[name=value]").focus();
        return;
      }
      if (CONFIG.preview) {
        thank();
        return;
      }
      busy = true;
      submit.setAttribute("disabled", "");
      say(t.sending, false);
      var payload = { key: key, value: Number(chosen.value), language: lang };
      if (comment && comment.value.trim()) payload.comment = comment.value.trim();
      send(payload, function (outcome) {
        busy = false;
        submit.removeAttribute("disabled");
        if (outcome === "ok") thank();
        else say(t.failed, true);
      });
    });

    (slot || document.body).appendChild(host);
    remember("shown");
  }

  function start() {
    try {
      if (!document.body || !CONFIG.question) return;
      // On a page whose origin the widget does not allow, answers would be refused: ask nothing.
      if (!CONFIG.preview && CONFIG.origins.indexOf(window.location.origin) < 0) return;
      if (!CONFIG.preview && (optedOut() || suppressed())) return;
      build(pageLanguage());
    } catch (e) {
      /* never break the host page */
    }
  }

  try {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  } catch (e) {
    /* never break the host page */
  }
})();
