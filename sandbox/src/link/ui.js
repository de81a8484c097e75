/*
 * Lean Link hosted UI — lean-sandbox edition.
 *
 * Framed by the loader at /link/lean-sdk.html?method=...&... . Reads its config from the
 * query string, authenticates the session with the customer token, runs the flow's
 * screens, and reports the result to the parent with postMessage(targetOrigin=host_origin).
 * Text is never injected as HTML: every node is built with textContent.
 */
(function () {
  "use strict";

  // ---------- strings (EN / AR) ----------
  var STRINGS = {
    en: {
      sandbox: "Sandbox", secured: "Secured by Lean", loading: "Loading…", close: "Close", back: "Back",
      select_bank: "Select your bank", select_bank_sub: "Choose the bank you want to connect.",
      not_listed: "My bank is not listed",
      login_title: "Log in to {bank}", login_sub: "Use your online banking credentials.",
      redirect_note: "In production this bank opens its own page; the sandbox simulates it here.",
      username: "Username", password: "Password", login: "Log in", logging_in: "Logging in…",
      invalid_credentials: "Invalid username or password", attempts_left: "{n} attempt(s) left.",
      otp_title: "Enter the one-time code", otp_sub: "{bank} sent a code to your registered phone.",
      otp_hint: "Sandbox: the code is 1111.", otp_label: "One-time code", verify: "Verify",
      otp_wrong: "That code is not right", verifying: "Verifying…",
      consent_title: "Share your {bank} data", consent_sub: "You are allowing access to:",
      access_until: "Access until", tx_from: "Transactions from", allow: "Allow", connecting: "Connecting your bank…",
      success_title: "Bank connected", success_sub: "Your {bank} account is now connected.", done: "Done",
      error_title: "Something went wrong", not_available_title: "Not available yet",
      not_available: "{method} is not available in this sandbox version yet",
      credentials_exhausted: "Too many failed login attempts.",
      mfa_exhausted: "Too many wrong codes. Please start again.",
      network: "Could not reach the sandbox. Please try again.",
      personal: "Personal", business: "Business",
      perm: {
        identity: ["Identity", "Your name, contact details and ID information"],
        accounts: ["Accounts", "Account names, numbers and types"],
        balance: ["Balances", "Current and available balances"],
        transactions: ["Transactions", "Incoming and outgoing transactions"],
        identities: ["Identities", "Identity details of all account holders"],
        scheduled_payments: ["Scheduled payments", "Future-dated payments"],
        standing_orders: ["Standing orders", "Recurring payment instructions"],
        direct_debits: ["Direct debits", "Direct debit mandates"],
        beneficiaries: ["Beneficiaries", "Saved payees"],
        payments: ["Payments", "Make payments from your account"]
      }
    },
    ar: {
      sandbox: "بيئة الاختبار", secured: "محمي بواسطة لين", loading: "جارٍ التحميل…", close: "إغلاق", back: "رجوع",
      select_bank: "اختر البنك", select_bank_sub: "اختر البنك الذي تريد ربطه.",
      not_listed: "البنك غير موجود في القائمة",
      login_title: "تسجيل الدخول إلى {bank}", login_sub: "استخدم بيانات الدخول إلى الخدمات المصرفية عبر الإنترنت.",
      redirect_note: "في بيئة الإنتاج يفتح هذا البنك صفحته الخاصة؛ هنا تتم محاكاتها.",
      username: "اسم المستخدم", password: "كلمة المرور", login: "تسجيل الدخول", logging_in: "جارٍ تسجيل الدخول…",
      invalid_credentials: "اسم المستخدم أو كلمة المرور غير صحيحة", attempts_left: "المحاولات المتبقية: {n}.",
      otp_title: "أدخل رمز التحقق", otp_sub: "أرسل {bank} رمزًا إلى هاتفك المسجل.",
      otp_hint: "بيئة الاختبار: الرمز هو 1111.", otp_label: "رمز التحقق لمرة واحدة", verify: "تحقق",
      otp_wrong: "الرمز غير صحيح", verifying: "جارٍ التحقق…",
      consent_title: "مشاركة بياناتك من {bank}", consent_sub: "أنت تسمح بالوصول إلى:",
      access_until: "الوصول حتى", tx_from: "المعاملات منذ", allow: "موافقة", connecting: "جارٍ ربط البنك…",
      success_title: "تم ربط البنك", success_sub: "تم ربط حسابك في {bank} بنجاح.", done: "تم",
      error_title: "حدث خطأ ما", not_available_title: "غير متاح بعد",
      not_available: "{method} غير متاح في هذا الإصدار من بيئة الاختبار بعد",
      credentials_exhausted: "عدد كبير من محاولات تسجيل الدخول الفاشلة.",
      mfa_exhausted: "عدد كبير من الرموز الخاطئة. يرجى البدء من جديد.",
      network: "تعذر الوصول إلى بيئة الاختبار. يرجى المحاولة مرة أخرى.",
      personal: "شخصي", business: "أعمال",
      perm: {
        identity: ["الهوية", "اسمك وبيانات الاتصال ومعلومات الهوية"],
        accounts: ["الحسابات", "أسماء الحسابات وأرقامها وأنواعها"],
        balance: ["الأرصدة", "الرصيد الحالي والمتاح"],
        transactions: ["المعاملات", "المعاملات الواردة والصادرة"],
        identities: ["الهويات", "بيانات هوية جميع أصحاب الحساب"],
        scheduled_payments: ["المدفوعات المجدولة", "المدفوعات ذات التاريخ المستقبلي"],
        standing_orders: ["الأوامر الدائمة", "تعليمات الدفع المتكررة"],
        direct_debits: ["الخصم المباشر", "تفويضات الخصم المباشر"],
        beneficiaries: ["المستفيدون", "المستفيدون المحفوظون"],
        payments: ["المدفوعات", "إجراء مدفوعات من حسابك"]
      }
    }
  };

  // ---------- query parsing (Lean's scheme: repeated keys, customization=key+value) ----------
  function parseQuery(search) {
    var out = {};
    search.replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var idx = pair.indexOf("=");
      var rawKey = idx < 0 ? pair : pair.slice(0, idx);
      var rawVal = idx < 0 ? "" : pair.slice(idx + 1);
      var key = safeDecode(rawKey.replace(/\+/g, " "));
      var value;
      if (key === "customization") {
        // The '+' separating key and value is literal; split before decoding.
        var plus = rawVal.indexOf("+");
        var sep = plus >= 0 ? plus : rawVal.indexOf("%20");
        var width = plus >= 0 ? 1 : 3;
        if (sep < 0) return;
        value = [safeDecode(rawVal.slice(0, sep)), safeDecode(rawVal.slice(sep + width).replace(/\+/g, " "))];
      } else {
        value = safeDecode(rawVal.replace(/\+/g, " "));
      }
      (out[key] = out[key] || []).push(value);
    });
    return {
      get: function (k) { return out[k] ? out[k][0] : null; },
      all: function (k) { return out[k] || []; }
    };
  }
  function safeDecode(s) {
    try { return decodeURIComponent(s); } catch (e) { return s; }
  }

  var q = parseQuery(window.location.search);
  var method = q.get("method") || "connect";
  var lang = q.get("language") === "ar" ? "ar" : "en";
  var T = STRINGS[lang];
  var hostOrigin = validOrigin(q.get("host_origin"));
  var accessToken = q.get("access_token") || "";
  var customerId = q.get("customer_id") || "";
  var correlationId = uuid();

  function validOrigin(raw) {
    if (!raw) return null;
    try {
      var u = new URL(raw);
      return u.origin === "null" ? null : u.origin;
    } catch (e) {
      return null;
    }
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, function () {
      return Math.floor(Math.random() * 16).toString(16);
    });
  }
  function fmt(s, vars) {
    return s.replace(/\{(\w+)\}/g, function (_, k) { return vars && vars[k] !== undefined ? vars[k] : ""; });
  }

  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
  document.getElementById("badge").textContent = T.sandbox;
  document.getElementById("foot").textContent = T.secured;
  document.getElementById("close").setAttribute("aria-label", lang === "ar" ? T.close : "Close");

  // ---------- customization ----------
  (function applyCustomization() {
    var root = document.documentElement.style;
    q.all("customization").forEach(function (kv) {
      var key = kv[0], value = kv[1];
      if (!value) return;
      if (key === "theme_color") root.setProperty("--accent", value);
      else if (key === "button_text_color") root.setProperty("--accent-text", value);
      else if (key === "link_color") root.setProperty("--link", value);
      else if (key === "dialog_background_color_light") root.setProperty("--bg", value);
      else if (key === "button_border_radius") {
        root.setProperty("--btn-radius", value === "pill" ? "999px" : (/^\d+$/.test(value) ? value + "px" : value));
      } else if (key === "force_appearance" && value === "dark") document.documentElement.classList.add("dark");
    });
  })();

  // ---------- talking to the parent ----------
  var state = { screen: "LOADING", bank: null, banks: [], username: "", password: "", otp: "",
                loginFailures: 0, otpLeft: 3, finished: false, lastApi: null, onClose: null };

  function post(message) {
    if (!hostOrigin || window.parent === window) return;
    message.lean_sandbox = true;
    window.parent.postMessage(message, hostOrigin);
  }
  function result(data) {
    if (state.finished) return;
    state.finished = true;
    data.lean_correlation_id = correlationId;
    if (state.lastApi && !data.last_api_response) data.last_api_response = state.lastApi;
    post({ type: "result", data: data });
  }
  function bankInfo(supported) {
    return { bank_identifier: state.bank ? state.bank.identifier : null, is_supported: supported !== false };
  }
  function cancel(intent) {
    // Closing an error or terminal screen reports that outcome rather than a cancel.
    if (state.onClose) { state.onClose(); return; }
    result({ status: "CANCELLED", message: "User cancelled the flow.", bank: bankInfo(true),
             exit_point: state.screen, exit_intent_point: state.screen, user_exit_intent: intent });
  }
  document.getElementById("close").addEventListener("click", function () { cancel("CLOSE_BUTTON"); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") cancel("ESCAPE"); });

  // ---------- DOM helpers ----------
  var main = document.getElementById("screen");
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k === "on") Object.keys(v).forEach(function (ev) { node.addEventListener(ev, v[ev]); });
      else if (k === "style") Object.keys(v).forEach(function (p) { node.style.setProperty(p, v[p]); });
      else node.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function show(screen, nodes, opts) {
    state.screen = screen;
    state.onClose = (opts && opts.onClose) || null;
    main.textContent = "";
    main.className = (opts && opts.center) ? "center" : "";
    main.setAttribute("data-screen", screen);
    nodes.forEach(function (n) { if (n) main.appendChild(n); });
    var back = document.getElementById("back");
    back.hidden = !(opts && opts.onBack);
    back.onclick = (opts && opts.onBack) || null;
    post({ type: "screen", screen: screen });
    var focus = main.querySelector("input, .btn, .bank");
    if (focus) focus.focus();
  }
  function bankName(bank) {
    return lang === "ar" && bank.arabic_name ? bank.arabic_name : bank.name;
  }
  function bankHead(bank) {
    return h("div", { "class": "bank-head", style: { "--bank": bank.main_color } }, [
      h("img", { src: bank.logo, alt: "" }),
      h("strong", { text: bankName(bank) })
    ]);
  }
  function loading(text) {
    show("LOADING", [h("div", { "class": "spinner", role: "progressbar", "aria-label": text }),
                     h("p", { "class": "muted", text: text })], { center: true });
  }

  // Terminal error: shown until the user closes it, then reported as ERROR.
  function fail(secondary, message, exitPoint) {
    var at = exitPoint || state.screen;
    var report = function () {
      result({ status: "ERROR", message: message, secondary_status: secondary,
               bank: state.bank ? bankInfo(true) : null, exit_point: at });
    };
    show("ERROR", [
      h("div", { "class": "big-icon bad", "aria-hidden": "true", text: "!" }),
      h("h1", { text: T.error_title }),
      h("p", { "class": "muted", role: "alert", "data-testid": "error-message", text: message }),
      h("div", { "class": "grow" }),
      h("button", { type: "button", "class": "btn", text: T.close, on: { click: report } })
    ], { center: true, onClose: report });
  }

  // ---------- API calls ----------
  function api(path, options) {
    options = options || {};
    var headers = { "Authorization": "Bearer " + accessToken };
    if (options.body) headers["Content-Type"] = "application/json";
    return fetch(path, { method: options.method || "GET", headers: headers,
                         body: options.body ? JSON.stringify(options.body) : undefined })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          state.lastApi = JSON.stringify({ http_status: res.status, status: body.status || null, message: body.message || null });
          return { ok: res.ok, http: res.status, body: body };
        });
      });
  }
  function networkError() { fail("UNKNOWN", T.network); }

  // ---------- connect flow ----------
  var permissions = q.all("permissions");

  function startConnect() {
    loading(T.loading);
    var path = "/link/api/session?customer_id=" + encodeURIComponent(customerId) +
      "&app_token=" + encodeURIComponent(q.get("app_token") || "");
    if (!accessToken) {
      fail("INVALID_TOKEN", "access_token is required: pass a customer-scoped token.", "INITIALIZATION");
      return;
    }
    api(path).then(function (r) {
      if (!r.ok) {
        fail(r.body.status === "INVALID_TOKEN" || r.http === 401 || r.http === 403 ? "INVALID_TOKEN" : (r.body.status || "UNKNOWN"),
             r.body.message || "The session could not be authenticated.", "INITIALIZATION");
        return;
      }
      return api("/banks/v1").then(function (b) {
        if (!b.ok || !Array.isArray(b.body)) { fail(b.body.status || "UNKNOWN", b.body.message || T.network, "INITIALIZATION"); return; }
        state.banks = b.body;
        var preset = q.get("bank_identifier");
        var chosen = preset && state.banks.filter(function (x) { return x.identifier === preset; })[0];
        if (chosen) { state.bank = chosen; showLogin(false); } else { showBanks(); }
      });
    }).catch(networkError);
  }

  function showBanks() {
    state.bank = null;
    var wanted = q.get("account_type");
    var list = state.banks.filter(function (b) { return !wanted || b.account_type === wanted; });
    var items = list.map(function (bank) {
      return h("li", {}, [h("button", {
        type: "button", "class": "bank", "data-testid": "bank-" + bank.identifier,
        style: { "--bank": bank.main_color },
        on: { click: function () { state.bank = bank; showLogin(true); } }
      }, [
        h("img", { src: bank.logo, alt: "" }),
        h("span", { "class": "meta" }, [
          h("span", { text: bankName(bank) }),
          h("span", { "class": "sub", text: (bank.account_type === "BUSINESS" ? T.business : T.personal) +
            " · " + bank.country_code })
        ])
      ])]);
    });
    show("BANK_SELECTION", [
      h("h1", { text: T.select_bank }),
      h("p", { "class": "muted", text: T.select_bank_sub }),
      h("ul", { "class": "banks" }, items),
      h("button", { type: "button", "class": "link", "data-testid": "bank-not-listed", text: T.not_listed,
        on: { click: function () {
          result({ status: "CANCELLED", message: "User's bank is not listed.",
                   bank: { bank_identifier: null, is_supported: false },
                   exit_point: "BANK_SELECTION", exit_intent_point: "BANK_SELECTION", user_exit_intent: "BANK_NOT_LISTED" });
        } } })
    ]);
  }

  function showLogin(canGoBack, errorText) {
    var bank = state.bank;
    var userInput = h("input", { id: "username", name: "username", autocomplete: "username", required: true, value: state.username });
    var passInput = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
    var submit = h("button", { type: "submit", "class": "btn", text: T.login });
    var form = h("form", { novalidate: true, on: { submit: function (e) {
      e.preventDefault();
      state.username = userInput.value;
      state.password = passInput.value;
      submit.disabled = true;
      submit.textContent = T.logging_in;
      login(null).then(function (r) {
        if (!r) return;
        var s = r.body.status;
        if (s === "OK") showConsent();
        else if (s === "MFA_REQUIRED") showOtp();
        else if (s === "INVALID_CREDENTIALS") {
          state.loginFailures += 1;
          if (state.loginFailures >= 3) fail("INVALID_CREDENTIALS", T.credentials_exhausted, "LOGIN");
          else showLogin(canGoBack, T.invalid_credentials + ". " + fmt(T.attempts_left, { n: 3 - state.loginFailures }));
        } else fail(s || "UNKNOWN", r.body.message || T.error_title, "LOGIN");
      });
    } } }, [
      h("label", { "for": "username" }, [T.username, userInput]),
      h("label", { "for": "password" }, [T.password, passInput]),
      errorText ? h("p", { "class": "error", role: "alert", "data-testid": "login-error", text: errorText }) : null,
      submit
    ]);
    var redirectBank = (bank.traits || []).indexOf("auth-redirect") >= 0;
    show("LOGIN", [
      bankHead(bank),
      h("h1", { text: fmt(T.login_title, { bank: bankName(bank) }) }),
      h("p", { "class": "muted", text: T.login_sub }),
      redirectBank ? h("p", { "class": "hint", text: T.redirect_note }) : null,
      form
    ], { onBack: canGoBack ? showBanks : null });
    if (errorText) passInput.focus();
  }

  function login(otp) {
    return api("/link/api/login", { method: "POST", body: {
      customer_id: customerId, bank_identifier: state.bank.identifier,
      username: state.username, password: state.password, otp: otp
    } }).then(function (r) {
      if (!r.ok) { fail(r.body.status || "UNKNOWN", r.body.message || T.error_title); return null; }
      return r;
    }).catch(function () { networkError(); return null; });
  }

  function showOtp(errorText) {
    var input = h("input", { id: "otp", name: "otp", inputmode: "numeric", autocomplete: "one-time-code", required: true });
    var submit = h("button", { type: "submit", "class": "btn", text: T.verify });
    var form = h("form", { novalidate: true, on: { submit: function (e) {
      e.preventDefault();
      var code = input.value.trim();
      submit.disabled = true;
      submit.textContent = T.verifying;
      login(code).then(function (r) {
        if (!r) return;
        if (r.body.status === "OK") { state.otp = code; showConsent(); return; }
        if (r.body.status === "INVALID_MFA" || r.body.status === "MFA_REQUIRED") {
          state.otpLeft -= 1;
          if (state.otpLeft <= 0) fail("MFA_ATTEMPTS_EXHAUSTED", T.mfa_exhausted, "OTP");
          else showOtp(T.otp_wrong + ". " + fmt(T.attempts_left, { n: state.otpLeft }));
          return;
        }
        fail(r.body.status || "UNKNOWN", r.body.message || T.error_title, "OTP");
      });
    } } }, [
      h("label", { "for": "otp" }, [T.otp_label, input]),
      errorText ? h("p", { "class": "error", role: "alert", "data-testid": "otp-error", text: errorText }) : null,
      submit
    ]);
    show("OTP", [
      bankHead(state.bank),
      h("h1", { text: T.otp_title }),
      h("p", { "class": "muted", text: fmt(T.otp_sub, { bank: bankName(state.bank) }) }),
      h("p", { "class": "hint", text: T.otp_hint }),
      form
    ]);
  }

  function dateParam(name, fallbackDays) {
    var raw = q.get(name);
    var d = raw ? new Date(raw) : null;
    if (!d || isNaN(d.getTime())) d = new Date(Date.now() + fallbackDays * 86400000);
    return d;
  }
  function showDate(d) {
    try {
      return d.toLocaleDateString(lang === "ar" ? "ar-AE" : "en-GB", { year: "numeric", month: "short", day: "numeric" });
    } catch (e) {
      return d.toISOString().slice(0, 10);
    }
  }

  function showConsent() {
    var from = dateParam("access_from", -365);
    var to = dateParam("access_to", 365);
    var items = permissions.map(function (p) {
      var names = T.perm[p] || [p, ""];
      return h("li", { "data-testid": "consent-permission", "data-permission": p }, [
        h("strong", { text: names[0] }), h("span", { "class": "muted", text: names[1] })
      ]);
    });
    var allow = h("button", { type: "button", "class": "btn", text: T.allow, on: { click: function () {
      allow.disabled = true;
      loading(T.connecting);
      api("/link/api/connect", { method: "POST", body: {
        customer_id: customerId, bank_identifier: state.bank.identifier,
        username: state.username, password: state.password, otp: state.otp || null,
        permissions: permissions, access_from: q.get("access_from"), access_to: q.get("access_to")
      } }).then(function (r) {
        if (r.ok && r.body.status === "OK") showSuccess();
        else fail(r.body.status || "UNKNOWN", r.body.message || T.error_title, "CONSENT");
      }).catch(networkError);
    } } });
    show("CONSENT", [
      bankHead(state.bank),
      h("h1", { text: fmt(T.consent_title, { bank: bankName(state.bank) }) }),
      h("p", { "class": "muted", text: T.consent_sub }),
      h("ul", { "class": "perms" }, items),
      h("dl", { "class": "dates" }, [
        h("div", {}, [h("dt", { text: T.tx_from }), h("dd", { "data-testid": "access-from", text: showDate(from) })]),
        h("div", {}, [h("dt", { text: T.access_until }), h("dd", { "data-testid": "access-to", text: showDate(to) })])
      ]),
      allow
    ]);
  }

  function showSuccess() {
    var finish = function () {
      result({ status: "SUCCESS", message: "Bank connected successfully.", secondary_status: "OK",
               bank: bankInfo(true), exit_point: "SUCCESS" });
    };
    show("SUCCESS", [
      h("div", { "class": "big-icon", "aria-hidden": "true", text: "✓" }),
      h("h1", { text: T.success_title }),
      h("p", { "class": "muted", text: fmt(T.success_sub, { bank: bankName(state.bank) }) }),
      h("div", { "class": "grow" }),
      h("button", { type: "button", "class": "btn", text: T.done, on: { click: finish } })
    ], { center: true, onClose: finish });
  }

  // Methods not built yet: a clear screen, reported as ERROR when closed.
  function notAvailable() {
    var message = fmt(STRINGS.en.not_available, { method: method });
    var report = function () {
      result({ status: "ERROR", message: message, secondary_status: "UNSUPPORTED_METHOD", exit_point: "NOT_AVAILABLE" });
    };
    show("NOT_AVAILABLE", [
      h("div", { "class": "big-icon", "aria-hidden": "true", text: "…" }),
      h("h1", { text: T.not_available_title }),
      h("p", { "class": "muted", role: "alert", "data-testid": "error-message", text: fmt(T.not_available, { method: method }) }),
      h("div", { "class": "grow" }),
      h("button", { type: "button", "class": "btn", text: T.close, on: { click: report } })
    ], { center: true, onClose: report });
  }

  // One entry per SDK method; the rest fall through to notAvailable.
  var FLOWS = {
    connect: startConnect,
    link: startConnect,
    createPaymentSource: startConnect
  };

  if (!hostOrigin) {
    // Without a valid parent origin we cannot report safely; say so on screen only.
    show("ERROR", [h("h1", { text: T.error_title }),
      h("p", { "class": "muted", role: "alert", text: "host_origin is missing or invalid; open Link through the loader script." })]);
    return;
  }
  if (method === "createPaymentSource" && permissions.length === 0) permissions = ["payments"];
  (FLOWS[method] || notAvailable)();
})();
