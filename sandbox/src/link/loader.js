/*
 * Lean Link loader — lean-sandbox edition.
 *
 * Defines window.Lean (and the window.LeanV2 alias) with Lean's 12 Link SDK methods.
 * Each method validates its config, then opens a full-viewport overlay that frames the
 * sandbox's hosted Link UI (lean-sdk.html). The framed page reports back with postMessage;
 * only messages from the sandbox origin *and* from our own iframe are trusted.
 * config.callback(CallbackData) runs once, when the overlay closes.
 */
(function () {
  "use strict";

  if (window.Lean && window.Lean.__leanSandbox) return;

  // The loader's own origin is where the Link UI lives (scripts are usually cross-origin).
  var script = document.currentScript;
  var ORIGIN = script && script.src ? new URL(script.src).origin : window.location.origin;
  var UI_PATH = "/link/lean-sdk.html";
  // Lean serves one loader per region; the KSA one (`/prod/sa/`) runs Link with Saudi banks.
  var REGION = script && script.src && /\/prod\/sa\//.test(new URL(script.src).pathname) ? "sa" : "ae";
  var OVERLAY_ID = "lean-link-overlay";
  var FRAME_ID = "lean-link-frame";

  var PERMISSIONS = [
    "identity", "accounts", "balance", "transactions", "identities",
    "scheduled_payments", "standing_orders", "direct_debits", "beneficiaries", "payments"
  ];

  // Required fields per method (REFERENCE §9.1). `anyOf` = at least one must be present.
  // To add a method: list it here, then add its flow in the Link UI (ui.js FLOWS).
  var METHODS = {
    link: { required: ["app_token", "customer_id", "permissions"] },
    connect: { required: ["app_token", "customer_id", "permissions"] },
    reconnect: { required: ["app_token", "reconnect_id"] },
    createBeneficiary: { required: ["app_token", "customer_id", "payment_destination_id"],
                         oneOf: ["payment_source_id", "entity_id"] },
    createPaymentSource: { required: ["app_token", "customer_id"] },
    updatePaymentSource: { required: ["app_token", "customer_id", "payment_destination_id"],
                           oneOf: ["payment_source_id", "entity_id"] },
    pay: { required: ["app_token"], anyOf: ["payment_intent_id", "bulk_payment_intent_id"] },
    verifyAddress: { required: ["app_token", "customer_id", "customer_name"] },
    authorizeConsent: {
      required: ["app_token", "customer_id", "consent_id", "success_redirect_url", "fail_redirect_url"]
    },
    checkout: {
      required: ["app_token", "payment_intent_id", "success_redirect_url", "fail_redirect_url"]
    },
    manageConsents: { required: ["app_token", "customer_id"] },
    captureRedirect: { required: ["app_token", "customer_id"] }
  };

  // Field types per method, checked when present: "string", "url" (http/https), "bool"
  // (true/false or "true"/"false"), "object", "permissions" (array of known names).
  var COMMON_TYPES = { customer_id: "string", access_token: "string", bank_identifier: "string",
    success_redirect_url: "url", fail_redirect_url: "url", customization: "object" };
  function typed(extra) {
    var out = {};
    Object.keys(COMMON_TYPES).forEach(function (k) { out[k] = COMMON_TYPES[k]; });
    Object.keys(extra || {}).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }
  var TYPES = {
    link: typed({ permissions: "permissions" }),
    connect: typed({ permissions: "permissions", payment_destination_id: "string", show_consent_explanation: "bool",
                     account_type: "string", end_user_id: "string" }),
    reconnect: typed({ reconnect_id: "string" }),
    createBeneficiary: typed({ payment_destination_id: "string", payment_source_id: "string", entity_id: "string" }),
    createPaymentSource: typed({ payment_destination_id: "string" }),
    updatePaymentSource: typed({ payment_destination_id: "string", payment_source_id: "string", entity_id: "string" }),
    pay: typed({ payment_intent_id: "string", bulk_payment_intent_id: "string", account_id: "string",
                 show_balances: "bool", allow_payment_source_change: "bool", risk_details: "object" }),
    verifyAddress: typed({ customer_name: "string", permissions: "permissions" }),
    authorizeConsent: typed({ consent_id: "string", account_id: "string", allow_payment_source_change: "bool",
                              risk_details: "object" }),
    checkout: typed({ payment_intent_id: "string", customer_name: "string", account_id: "string",
                      allow_payment_source_change: "bool", risk_details: "object" }),
    manageConsents: typed({}),
    captureRedirect: typed({ consent_attempt_id: "string", consent_id: "string", granular_status_code: "string",
                             status_additional_info: "string" })
  };
  function checkType(kind, value) {
    if (kind === "string") return typeof value === "string" ? null : "must be a string";
    if (kind === "bool") {
      return value === true || value === false || value === "true" || value === "false" ? null : "must be a boolean";
    }
    if (kind === "object") return typeof value === "object" && !Array.isArray(value) ? null : "must be an object";
    if (kind === "url") {
      if (typeof value !== "string") return "must be a URL string";
      try {
        var u = new URL(value);
        return u.protocol === "http:" || u.protocol === "https:" ? null : "must be an http(s) URL";
      } catch (e) {
        return "must be an absolute URL";
      }
    }
    if (kind === "permissions") {
      if (!Array.isArray(value)) return "must be an array";
      for (var i = 0; i < value.length; i++) {
        if (PERMISSIONS.indexOf(value[i]) < 0) return "contains unknown permission \"" + String(value[i]) + "\"";
      }
    }
    return null;
  }

  var current = null; // { overlay, frame, config, screen, cleanup }

  function isBlank(v) {
    return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
  }

  function isSandbox(config) {
    return config.sandbox === true || config.sandbox === "true";
  }

  // Returns a message naming the offending field, or null when the config is usable.
  function validate(method, config) {
    var spec = METHODS[method];
    for (var i = 0; i < spec.required.length; i++) {
      var field = spec.required[i];
      if (field === "permissions") {
        if (!Array.isArray(config.permissions) || config.permissions.length === 0) {
          return "Invalid config: \"permissions\" must be a non-empty array.";
        }
        for (var j = 0; j < config.permissions.length; j++) {
          if (PERMISSIONS.indexOf(config.permissions[j]) < 0) {
            return "Invalid config: \"permissions\" contains unknown permission \"" +
              String(config.permissions[j]) + "\".";
          }
        }
      } else if (isBlank(config[field])) {
        return "Invalid config: \"" + field + "\" is required.";
      }
    }
    if (spec.anyOf && spec.anyOf.every(function (f) { return isBlank(config[f]); })) {
      return "Invalid config: one of \"" + spec.anyOf.join("\", \"") + "\" is required.";
    }
    // Lean: "one of payment_source_id or entity_id" (a source to add to, or a data-only connection to
    // add payments to); both at once is refused too, as sandbox/README.md says.
    if (spec.oneOf && spec.oneOf.filter(function (f) { return !isBlank(config[f]); }).length !== 1) {
      return "Invalid config: exactly one of \"" + spec.oneOf.join("\", \"") + "\" is required.";
    }
    var types = TYPES[method] || {};
    for (var key in types) {
      if (!Object.prototype.hasOwnProperty.call(types, key) || config[key] === undefined || config[key] === null) continue;
      var problem = checkType(types[key], config[key]);
      if (problem) return "Invalid config: \"" + key + "\" " + problem + ".";
    }
    if (config.callback !== undefined && typeof config.callback !== "function") {
      return "Invalid config: \"callback\" must be a function.";
    }
    if (config.language !== undefined && config.language !== "en" && config.language !== "ar") {
      return "Invalid config: \"language\" must be \"en\" or \"ar\".";
    }
    return null;
  }

  // Lean's hosted-page scheme: repeated `permissions=`, `customization=key+value` with a
  // literal '+', spaces as %20, objects as JSON strings.
  function buildUrl(method, config) {
    var parts = ["method=" + encodeURIComponent(method)];
    function add(key, value) {
      parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(value));
    }
    Object.keys(config).forEach(function (key) {
      var value = config[key];
      if (key === "callback" || key === "customization" || key === "permissions") return;
      if (value === undefined || value === null || typeof value === "function") return;
      add(key, typeof value === "object" ? JSON.stringify(value) : String(value));
    });
    (config.permissions || []).forEach(function (p) { add("permissions", p); });
    var custom = config.customization || {};
    Object.keys(custom).forEach(function (key) {
      if (custom[key] === undefined || custom[key] === null) return;
      parts.push("customization=" + encodeURIComponent(key) + "+" + encodeURIComponent(String(custom[key])));
    });
    if (isBlank(config.language)) add("language", "en");
    if (REGION === "sa" && config.country === undefined) add("country", "sa");
    add("host_origin", window.location.origin);
    return ORIGIN + UI_PATH + "?" + parts.join("&");
  }

  // Every CallbackData key is present (null when not relevant) so typed consumers are happy.
  function callbackData(data) {
    data = data || {};
    return {
      status: data.status || "ERROR",
      message: data.message || "",
      bank: data.bank || null,
      exit_point: data.exit_point || null,
      secondary_status: data.secondary_status || null,
      last_api_response: data.last_api_response || null,
      user_exit_intent: data.user_exit_intent || null,
      exit_intent_point: data.exit_intent_point || null,
      exit_survey_reason: data.exit_survey_reason || null,
      lean_correlation_id: data.lean_correlation_id || null,
      open_banking_redirect_url: data.open_banking_redirect_url || null
    };
  }

  function invoke(config, data) {
    if (config && typeof config.callback === "function") {
      var payload = callbackData(data);
      // Async so an exception in the merchant's callback cannot break our cleanup.
      setTimeout(function () { config.callback(payload); }, 0);
    }
  }

  // Removes the overlay and fires the callback exactly once.
  function finish(data) {
    if (!current) return;
    var session = current;
    current = null;
    session.cleanup();
    if (session.overlay.parentNode) session.overlay.parentNode.removeChild(session.overlay);
    invoke(session.config, data);
  }

  // Open Finance hand-over: the callback gets REDIRECT, then the top window goes to the
  // success/fail URL (only http(s) URLs are followed).
  function redirect(data) {
    if (!current) return;
    var session = current;
    current = null;
    session.cleanup();
    if (session.overlay.parentNode) session.overlay.parentNode.removeChild(session.overlay);
    var url = data.open_banking_redirect_url;
    try {
      if (typeof session.config.callback === "function") session.config.callback(callbackData(data));
    } catch (e) {
      if (window.console) console.error(e);
    }
    var ok = false;
    try { ok = /^https?:$/.test(new URL(url).protocol); } catch (e) { ok = false; }
    if (!ok) return;
    setTimeout(function () {
      try { window.top.location.assign(url); } catch (e) { window.location.assign(url); }
    }, 50);
  }

  function el(tag, style, attrs) {
    var node = document.createElement(tag);
    if (style) node.setAttribute("style", style);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function createOverlay(config) {
    var custom = config.customization || {};
    var overlay = el("div",
      "position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;" +
      "justify-content:center;background:" + (custom.overlay_color || "rgba(15,23,42,0.55)") + ";",
      { id: OVERLAY_ID, "data-lean-sandbox": "overlay" });
    // dialog_mode "uncontained" fills the viewport; "contained" (default) is a centred card.
    var uncontained = custom.dialog_mode === "uncontained";
    var dialog = el("div",
      (uncontained
        ? "position:relative;width:100vw;height:100vh;background:#fff;overflow:hidden;"
        : "position:relative;width:min(420px,100vw);height:min(680px,100vh);background:#fff;" +
          "border-radius:16px;overflow:hidden;box-shadow:0 24px 64px rgba(15,23,42,0.35);"),
      { role: "dialog", "aria-modal": "true", "aria-label": "Lean Link",
        "data-dialog-mode": uncontained ? "uncontained" : "contained" });
    overlay.appendChild(dialog);
    return { overlay: overlay, dialog: dialog };
  }

  // Shown by the loader itself when the config is unusable (only with sandbox: true,
  // like Lean's v2 SDK which aborts silently in production).
  function showConfigError(dialog, message, onClose) {
    var box = el("div",
      "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#0f172a;" +
      "padding:32px 28px;display:flex;flex-direction:column;gap:16px;height:100%;box-sizing:border-box;",
      { role: "alert", "data-testid": "config-error" });
    var title = el("h2", "margin:0;font-size:20px;");
    title.textContent = "Invalid Link configuration";
    var text = el("p", "margin:0;color:#334155;word-break:break-word;");
    text.textContent = message;
    var hint = el("p", "margin:0;color:#64748b;font-size:13px;");
    hint.textContent = "This message is only shown because sandbox is true.";
    var button = el("button",
      "margin-top:auto;padding:12px 16px;border:0;border-radius:10px;background:#0f172a;" +
      "color:#fff;font:inherit;font-weight:600;cursor:pointer;", { type: "button" });
    button.textContent = "Close";
    button.addEventListener("click", onClose);
    box.appendChild(title); box.appendChild(text); box.appendChild(hint); box.appendChild(button);
    dialog.appendChild(box);
    setTimeout(function () { button.focus(); }, 0);
  }

  function open(method, config) {
    if (!config || typeof config !== "object") {
      if (window.console) console.error("Lean." + method + " expects one config object.");
      return;
    }
    if (current) {
      finish({ status: "LINK_CLOSED_PROGRAMMATICALLY", message: "Link was replaced by a new Lean." + method + " call." });
    }

    var error = validate(method, config);
    if (error && !isSandbox(config)) {
      invoke(config, { status: "ERROR", message: error, secondary_status: "INVALID_CONFIG" });
      return;
    }

    var parts = createOverlay(config);
    var session = { overlay: parts.overlay, frame: null, config: config, screen: "LOADING", cleanup: function () {} };
    current = session;

    function onKey(event) {
      if (event.key === "Escape" && current === session) {
        if (error) {
          finish({ status: "ERROR", message: error, secondary_status: "INVALID_CONFIG", exit_point: "CONFIG_ERROR" });
        } else {
          finish({ status: "CANCELLED", message: "User cancelled the flow.", exit_point: session.screen,
                   exit_intent_point: session.screen, user_exit_intent: "ESCAPE" });
        }
      }
    }
    document.addEventListener("keydown", onKey);

    if (error) {
      session.screen = "CONFIG_ERROR";
      session.cleanup = function () { document.removeEventListener("keydown", onKey); };
      showConfigError(parts.dialog, error, function () {
        finish({ status: "ERROR", message: error, secondary_status: "INVALID_CONFIG", exit_point: "CONFIG_ERROR" });
      });
      document.body.appendChild(parts.overlay);
      return;
    }

    var frame = el("iframe", "border:0;width:100%;height:100%;display:block;background:#fff;",
      { id: FRAME_ID, title: "Lean Link", src: buildUrl(method, config), allow: "clipboard-write" });
    session.frame = frame;

    function onMessage(event) {
      if (current !== session) return;
      if (event.origin !== ORIGIN || event.source !== frame.contentWindow) return;
      var msg = event.data;
      if (!msg || typeof msg !== "object" || msg.lean_sandbox !== true) return;
      if (msg.type === "screen" && typeof msg.screen === "string") {
        session.screen = msg.screen;
      } else if (msg.type === "result") {
        if (msg.data && msg.data.status === "REDIRECT") redirect(msg.data);
        else finish(msg.data);
      }
    }
    window.addEventListener("message", onMessage);
    session.cleanup = function () {
      window.removeEventListener("message", onMessage);
      document.removeEventListener("keydown", onKey);
    };

    parts.dialog.appendChild(frame);
    document.body.appendChild(parts.overlay);
    setTimeout(function () { frame.focus(); }, 0);
  }

  var Lean = { __leanSandbox: true, version: "sandbox-1" };
  Object.keys(METHODS).forEach(function (method) {
    Lean[method] = function (config) { open(method, config); };
  });
  // Closes whatever is open; the callback reports LINK_CLOSED_PROGRAMMATICALLY.
  Lean.close = function () {
    finish({ status: "LINK_CLOSED_PROGRAMMATICALLY", message: "Link was closed by the host application.",
             exit_point: current ? current.screen : null });
  };

  window.Lean = Lean;
  window.LeanV2 = Lean;
})();
