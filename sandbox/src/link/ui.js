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
      shared_with: "Shared with {name}",
      consent_explain: "Only what is listed is shared, read-only: nobody can move money with it. You can end this access at any time, here or at your bank, and it ends by itself on the date shown.",
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
      },
      choose_account: "Choose an account", choose_account_sub: "Select the account to pay from.",
      no_accounts: "No account can pay this intent. Connect a bank with the payments permission first.",
      confirm_payment: "Confirm your payment", amount: "Amount", to: "To", from: "From", reference: "Reference",
      pay_now: "Confirm payment", paying: "Sending your payment…", payment_sent: "Payment submitted",
      payment_sent_sub: "Your bank is processing the payment.", status: "Status",
      total: "Total", bulk_count: "Payments", bulk_list: "Payments in this request",
      confirm_bulk: "Confirm your payments", pay_bulk_now: "Confirm payments", paying_bulk: "Sending your payments…",
      bulk_sent: "Payments submitted", bulk_sent_sub: "Your bank is processing the payments.",
      no_accounts_bulk: "No account can pay these payments. Connect a bank with the payments permission first.",
      authorise_payment: "Authorise payment at {bank}", authorise: "Authorise", redirecting: "Returning you to the merchant…",
      consent_auth_title: "Authorise payments to {dest}", consent_limit: "Maximum per payment", expires: "Expires",
      capture_ok_title: "All done", capture_ok_pay: "Your payment was authorised.", capture_ok_consent: "Your consent was authorised.",
      manage_title: "Your payment consents", manage_sub: "Review and revoke the consents you have given.",
      no_consents: "You have no consents.", revoke: "Revoke", revoked: "Revoked",
      benef_title: "Add a beneficiary", benef_sub: "Allow payments to this recipient from your bank account.",
      add_benef: "Add beneficiary", benef_added: "Beneficiary added",
      upgrade_title: "Pay from {bank}", upgrade_sub: "Log in to {bank} once more to allow payments from the accounts you connected, starting with this recipient.",
      upgrade_go: "Continue to {bank}", payer: "Payer",
      benef_cooloff: "Your bank applies a cool-off period before you can pay this beneficiary.", cooloff_until: "Cool-off until",
      verify_title: "Address verified", verify_fail: "The name on your bank account does not match {name}.",
      reconnect_done: "Bank reconnected", reconnect_sub: "Your {bank} connection is working again."
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
      shared_with: "تتم المشاركة مع {name}",
      consent_explain: "تُشارَك البيانات المذكورة فقط، للقراءة فقط: لا يستطيع أحد تحريك الأموال بها. يمكنك إنهاء هذا الوصول في أي وقت، هنا أو لدى بنكك، وينتهي تلقائيًا في التاريخ المبيّن.",
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
      },
      choose_account: "اختر الحساب", choose_account_sub: "اختر الحساب الذي ستدفع منه.",
      no_accounts: "لا يوجد حساب يمكنه دفع هذا الطلب. اربط بنكًا بصلاحية المدفوعات أولًا.",
      confirm_payment: "تأكيد الدفع", amount: "المبلغ", to: "إلى", from: "من", reference: "المرجع",
      pay_now: "تأكيد الدفع", paying: "جارٍ إرسال الدفعة…", payment_sent: "تم إرسال الدفعة",
      payment_sent_sub: "يقوم البنك بمعالجة الدفعة.", status: "الحالة",
      total: "المبلغ الإجمالي", bulk_count: "عدد الدفعات", bulk_list: "الدفعات في هذا الطلب",
      confirm_bulk: "تأكيد الدفعات", pay_bulk_now: "تأكيد الدفعات", paying_bulk: "جارٍ إرسال الدفعات…",
      bulk_sent: "تم إرسال الدفعات", bulk_sent_sub: "يقوم البنك بمعالجة الدفعات.",
      no_accounts_bulk: "لا يوجد حساب يمكنه دفع هذه الدفعات. اربط بنكًا بصلاحية المدفوعات أولًا.",
      authorise_payment: "اعتماد الدفع لدى {bank}", authorise: "اعتماد", redirecting: "جارٍ إعادتك إلى التاجر…",
      consent_auth_title: "اعتماد المدفوعات إلى {dest}", consent_limit: "الحد الأقصى لكل دفعة", expires: "ينتهي في",
      capture_ok_title: "تم بنجاح", capture_ok_pay: "تم اعتماد الدفعة.", capture_ok_consent: "تم اعتماد الموافقة.",
      manage_title: "موافقات الدفع", manage_sub: "راجع الموافقات التي منحتها وألغِها.",
      no_consents: "لا توجد موافقات.", revoke: "إلغاء", revoked: "ملغاة",
      benef_title: "إضافة مستفيد", benef_sub: "السماح بالدفع لهذا المستفيد من حسابك البنكي.",
      add_benef: "إضافة المستفيد", benef_added: "تمت إضافة المستفيد",
      upgrade_title: "الدفع من {bank}", upgrade_sub: "سجّل الدخول إلى {bank} مرة أخرى للسماح بالدفع من الحسابات التي ربطتها، بدءًا بهذا المستفيد.",
      upgrade_go: "المتابعة إلى {bank}", payer: "الدافع",
      benef_cooloff: "يطبق البنك فترة انتظار قبل أن تتمكن من الدفع لهذا المستفيد.", cooloff_until: "فترة الانتظار حتى",
      verify_title: "تم التحقق من العنوان", verify_fail: "الاسم في حسابك البنكي لا يطابق {name}.",
      reconnect_done: "تمت إعادة ربط البنك", reconnect_sub: "اتصالك مع {bank} يعمل مجددًا."
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
  // Opened from the KSA loader: Saudi banks only, as Lean's KSA Link lists.
  var BANKS_PATH = q.get("country") === "sa" ? "/banks/v1?country_codes=SAU" : "/banks/v1";
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
    var all = q.all("customization");
    var dark = all.some(function (kv) { return kv[0] === "force_appearance" && kv[1] === "dark"; });
    // With a dark appearance the *_dark variants win over the light ones, whatever their
    // order, and the light background never applies (the dark theme's own background does).
    if (dark) {
      all = all.filter(function (kv) {
        if (kv[0] === "dialog_background_color_light") return false;
        return !all.some(function (o) { return o[0] === kv[0] + "_dark"; });
      }).map(function (kv) {
        if (kv[0] === "dialog_background_color_dark") return ["dialog_background_color_light", kv[1]];
        return /_dark$/.test(kv[0]) ? [kv[0].replace(/_dark$/, ""), kv[1]] : kv;
      });
    }
    all.forEach(function (kv) {
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
    api(path).then(function (r) {
      if (!r.ok) {
        fail(r.body.status === "INVALID_TOKEN" || r.http === 401 || r.http === 403 ? "INVALID_TOKEN" : (r.body.status || "UNKNOWN"),
             r.body.message || "The session could not be authenticated.", "INITIALIZATION");
        return;
      }
      return api(BANKS_PATH).then(function (b) {
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
        if (s === "OK") afterLogin();
        else if (s === "MFA_REQUIRED") showOtp();
        else if (s === "INVALID_CREDENTIALS") {
          state.loginFailures += 1;
          if (state.loginFailures >= 3) fail("INVALID_CREDENTIALS", T.credentials_exhausted, "LOGIN");
          else showLogin(canGoBack, T.invalid_credentials + ". " + fmt(T.attempts_left, { n: 3 - state.loginFailures }));
        } else if (loginFailHook) loginFailHook(s);
        else fail(s || "UNKNOWN", r.body.message || T.error_title, "LOGIN");
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
        if (r.body.status === "OK") { state.otp = code; afterLogin(); return; }
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
        permissions: permissions, access_from: q.get("access_from"), access_to: q.get("access_to"),
        payment_destination_id: q.get("payment_destination_id"), end_user_id: q.get("end_user_id")
      } }).then(function (r) {
        if (r.ok && r.body.status === "OK") showSuccess();
        else fail(r.body.status || "UNKNOWN", r.body.message || T.error_title, "CONSENT");
      }).catch(networkError);
    } } });
    // The merchant's brand (destination_alias / destination_avatar) and the longer explanation
    // (show_consent_explanation): Lean documents the fields, not their look; see sandbox/README.md.
    var alias = q.get("destination_alias");
    var avatar = q.get("destination_avatar");
    var brand = alias ? h("p", { "class": "muted", "data-testid": "destination-alias" }, [
      avatar && /^https?:\/\//.test(avatar) ? h("img", { src: avatar, alt: "", width: "24", height: "24",
                                                     "data-testid": "destination-avatar" }) : null,
      h("span", { text: fmt(T.shared_with, { name: alias }) })
    ].filter(Boolean)) : null;
    var explain = q.get("show_consent_explanation") === "true"
      ? h("p", { "class": "explain", "data-testid": "consent-explanation", text: T.consent_explain }) : null;
    show("CONSENT", [
      bankHead(state.bank),
      h("h1", { text: fmt(T.consent_title, { bank: bankName(state.bank) }) }),
      brand,
      h("p", { "class": "muted", text: T.consent_sub }),
      explain,
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

  // ---------- payment flows (pay, checkout, authorizeConsent, captureRedirect, manageConsents,
  // updatePaymentSource / createBeneficiary, verifyAddress, reconnect) ----------
  var afterLoginHook = null;
  var loginFailHook = null;
  function afterLogin() { (afterLoginHook || showConsent)(); }

  function needToken() {
    if (accessToken) return true;
    fail("INVALID_TOKEN", "access_token is required: pass a customer-scoped token.", "INITIALIZATION");
    return false;
  }
  function apiFail(r, exitPoint) {
    var s = r.body.status || "UNKNOWN";
    if (r.http === 401 || r.http === 403) s = "INVALID_TOKEN";
    fail(s, r.body.message || T.error_title, exitPoint);
  }
  // Session check for flows that name the customer; resolves true when usable.
  function checkSession() {
    loading(T.loading);
    if (!needToken()) return Promise.resolve(false);
    var path = "/link/api/session?customer_id=" + encodeURIComponent(customerId) +
      "&app_token=" + encodeURIComponent(q.get("app_token") || "");
    return api(path).then(function (r) {
      if (!r.ok) { apiFail(r, "INITIALIZATION"); return false; }
      return true;
    }).catch(function () { networkError(); return false; });
  }
  // Bank selection (skipped with bank_identifier), then login/OTP, then `next`.
  function chooseBankThenLogin(next) {
    afterLoginHook = next;
    return api(BANKS_PATH).then(function (b) {
      if (!b.ok || !Array.isArray(b.body)) { apiFail(b, "INITIALIZATION"); return; }
      state.banks = b.body;
      var preset = q.get("bank_identifier");
      var chosen = preset && state.banks.filter(function (x) { return x.identifier === preset; })[0];
      if (chosen) { state.bank = chosen; showLogin(false); } else { showBanks(); }
    }).catch(networkError);
  }
  function money(amount, currency) {
    var n = Number(amount);
    var text = isNaN(n) ? String(amount) : n.toLocaleString(lang === "ar" ? "ar-AE" : "en-US",
      { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return currency + " " + text;
  }
  function maskIban(iban) { return iban ? "•••• " + String(iban).slice(-4) : ""; }
  function facts(rows) {
    return h("dl", { "class": "facts" }, rows.filter(Boolean).map(function (r) {
      return h("div", {}, [h("dt", { text: r[0] }), h("dd", { "data-testid": r[1], text: r[2] })]);
    }));
  }
  function successScreen(title, sub, data, extra) {
    var finish = function () { result(data); };
    show("SUCCESS", [
      h("div", { "class": "big-icon", "aria-hidden": "true", text: "✓" }),
      h("h1", { text: title }),
      h("p", { "class": "muted", text: sub }),
      extra || null,
      h("div", { "class": "grow" }),
      h("button", { type: "button", "class": "btn", text: T.done, on: { click: finish } })
    ], { center: true, onClose: finish });
  }
  function loadIntent() {
    var id = q.get("payment_intent_id");
    return api("/link/api/payment-context?payment_intent_id=" + encodeURIComponent(id)).then(function (r) {
      if (!r.ok) { apiFail(r, "INITIALIZATION"); return null; }
      return r.body;
    }).catch(function () { networkError(); return null; });
  }

  // pay: account selection (skipped with account_id), confirmation, then the payment.
  function startPay() {
    loading(T.loading);
    if (!needToken()) return;
    // With both ids, payment_intent_id wins (see sandbox/README.md).
    if (!q.get("payment_intent_id")) { startBulkPay(); return; }
    loadIntent().then(function (ctx) {
      if (!ctx) return;
      var accounts = payableAccounts(ctx);
      if (!accounts.length) { fail("UNKNOWN_PAYMENT_SOURCE", T.no_accounts, "ACCOUNT_SELECTION"); return; }
      var chosen = presetAccount(accounts);
      if (chosen) showPayConfirm(ctx, chosen, null);
      else showAccounts(ctx, accounts);
    });
  }
  // The accounts of the customer's payment sources in the intent's currency (of bank_identifier's
  // bank when given); shared by the single and bulk pay screens.
  function payableAccounts(ctx) {
    var wantedBank = q.get("bank_identifier");
    var accounts = [];
    ctx.payment_sources.forEach(function (src) {
      if (wantedBank && src.bank_identifier !== wantedBank) return;
      src.accounts.forEach(function (a) {
        if (a.currency === ctx.currency) accounts.push({ source: src, account: a });
      });
    });
    return accounts;
  }
  function presetAccount(accounts) {
    var preset = q.get("account_id");
    return preset && accounts.filter(function (x) { return x.account.id === preset; })[0];
  }
  function accountItem(x, showBal, onPick) {
    return h("li", {}, [h("button", {
      type: "button", "class": "bank", "data-testid": "account-" + x.account.id, on: { click: onPick }
    }, [
      h("span", { "class": "meta" }, [
        h("span", { text: x.account.name }),
        h("span", { "class": "sub", text: (x.source.bank_name || x.source.bank_identifier) + " · " + maskIban(x.account.iban) +
          (showBal ? " · " + money(x.account.balance, x.account.currency) : "") })
      ])
    ])]);
  }

  // pay with bulk_payment_intent_id: the bulk's payments, one account for all of them,
  // confirmation, then every payment at once (all or nothing, decided by the sandbox).
  function startBulkPay() {
    var id = q.get("bulk_payment_intent_id");
    api("/link/api/bulk-payment-context?bulk_payment_intent_id=" + encodeURIComponent(id)).then(function (r) {
      if (!r.ok) { apiFail(r, "INITIALIZATION"); return; }
      var ctx = r.body;
      customerId = ctx.customer_id;
      var accounts = payableAccounts(ctx);
      if (!accounts.length) { fail("UNKNOWN_PAYMENT_SOURCE", T.no_accounts_bulk, "ACCOUNT_SELECTION"); return; }
      var chosen = presetAccount(accounts);
      if (chosen) showBulkConfirm(ctx, chosen, null);
      else showBulkAccounts(ctx, accounts);
    }).catch(networkError);
  }
  function bulkList(ctx) {
    return h("div", {}, [
      h("h2", { "class": "bulk-head", text: T.bulk_list }),
      h("ul", { "class": "perms bulk", "data-testid": "bulk-payments" }, ctx.payments.map(function (p) {
        var d = p.destination;
        return h("li", { "data-testid": "bulk-payment", "data-payment-intent-id": p.payment_intent_id }, [
          h("strong", { "data-testid": "bulk-payment-recipient", text: d ? d.display_name || d.name : "" }),
          h("span", { "data-testid": "bulk-payment-amount", text: money(p.amount, p.currency) }),
          h("span", { "class": "muted", "data-testid": "bulk-payment-reference", text: p.description })
        ]);
      }))
    ]);
  }
  function showBulkAccounts(ctx, accounts) {
    var showBal = q.get("show_balances") === "true";
    show("ACCOUNT_SELECTION", [
      h("h1", { text: T.choose_account }),
      h("p", { "class": "muted", text: T.choose_account_sub }),
      h("p", { "class": "amount", "data-testid": "payment-amount", text: money(ctx.total_amount, ctx.currency) }),
      h("ul", { "class": "banks" }, accounts.map(function (x) {
        return accountItem(x, showBal, function () { showBulkConfirm(ctx, x, function () { showBulkAccounts(ctx, accounts); }); });
      })),
      bulkList(ctx)
    ]);
  }
  function showBulkConfirm(ctx, choice, back) {
    state.bank = { identifier: choice.source.bank_identifier };
    var total = money(ctx.total_amount, ctx.currency);
    var button = h("button", { type: "button", "class": "btn", text: T.pay_bulk_now, on: { click: function () {
      button.disabled = true;
      loading(T.paying_bulk);
      api("/link/api/bulk-pay", { method: "POST", body: {
        bulk_payment_intent_id: ctx.bulk_payment_intent_id, account_id: choice.account.id,
        bank_identifier: choice.source.bank_identifier
      } }).then(function (r) {
        if (!r.ok) { apiFail(r, "PAYMENT_CONFIRMATION"); return; }
        if (r.body.status !== "OK") { fail(r.body.status, r.body.message || T.error_title, "PAYMENT_CONFIRMATION"); return; }
        successScreen(T.bulk_sent, T.bulk_sent_sub,
          { status: "SUCCESS", message: "Payments submitted.", secondary_status: r.body.payment_status,
            bank: bankInfo(true), exit_point: "SUCCESS" },
          facts([[T.status, "payment-status", r.body.payment_status], [T.total, "payment-amount", total],
                 [T.bulk_count, "bulk-count", String(r.body.payments.length)]]));
      }).catch(networkError);
    } } });
    show("PAYMENT_CONFIRMATION", [
      h("h1", { text: T.confirm_bulk }),
      facts([
        [T.total, "payment-amount", total],
        [T.bulk_count, "bulk-count", String(ctx.payments.length)],
        [T.from, "payment-account", choice.account.name + " · " + maskIban(choice.account.iban)]
      ]),
      bulkList(ctx),
      h("div", { "class": "grow" }),
      button
    ], { onBack: back });
  }

  function showAccounts(ctx, accounts) {
    var showBal = q.get("show_balances") === "true";
    var items = accounts.map(function (x) {
      return accountItem(x, showBal, function () { showPayConfirm(ctx, x, function () { showAccounts(ctx, accounts); }); });
    });
    show("ACCOUNT_SELECTION", [
      h("h1", { text: T.choose_account }),
      h("p", { "class": "muted", text: T.choose_account_sub }),
      h("p", { "class": "amount", "data-testid": "payment-amount", text: money(ctx.amount, ctx.currency) }),
      h("ul", { "class": "banks" }, items)
    ]);
  }
  function showPayConfirm(ctx, choice, back) {
    state.bank = { identifier: choice.source.bank_identifier };
    var button = h("button", { type: "button", "class": "btn", text: T.pay_now, on: { click: function () {
      button.disabled = true;
      loading(T.paying);
      api("/link/api/pay", { method: "POST", body: {
        payment_intent_id: ctx.payment_intent_id, account_id: choice.account.id, bank_identifier: choice.source.bank_identifier
      } }).then(function (r) {
        if (!r.ok) { apiFail(r, "PAYMENT_CONFIRMATION"); return; }
        if (r.body.status !== "OK") { fail(r.body.status, r.body.message || T.error_title, "PAYMENT_CONFIRMATION"); return; }
        successScreen(T.payment_sent, T.payment_sent_sub,
          { status: "SUCCESS", message: "Payment submitted.", secondary_status: r.body.payment_status,
            bank: bankInfo(true), exit_point: "SUCCESS" },
          facts([[T.status, "payment-status", r.body.payment_status], [T.amount, "payment-amount", money(ctx.amount, ctx.currency)]]));
      }).catch(networkError);
    } } });
    show("PAYMENT_CONFIRMATION", [
      h("h1", { text: T.confirm_payment }),
      facts([
        [T.amount, "payment-amount", money(ctx.amount, ctx.currency)],
        [T.to, "payment-recipient", ctx.destination ? ctx.destination.display_name || ctx.destination.name : ""],
        [T.from, "payment-account", choice.account.name + " · " + maskIban(choice.account.iban)],
        [T.reference, "payment-reference", ctx.description]
      ]),
      h("div", { "class": "grow" }),
      button
    ], { onBack: back });
  }

  // Open Finance: after the bank's authorisation the page hands over to the redirect URL.
  function redirectTo(resp) {
    var ok = resp.outcome === "SUCCESS";
    var base = q.get(ok ? "success_redirect_url" : "fail_redirect_url");
    var url;
    try { url = new URL(base); } catch (e) { fail("INVALID_CONFIG", "The redirect URL is not a valid URL.", "REDIRECT"); return; }
    url.searchParams.set("consent_attempt_id", resp.consent_attempt_id);
    url.searchParams.set("customer_id", resp.customer_id);
    if (resp.consent_id) url.searchParams.set("consent_id", resp.consent_id);
    if (resp.granular_status_code) url.searchParams.set("granular_status_code", resp.granular_status_code);
    if (resp.status_additional_info) url.searchParams.set("status_additional_info", resp.status_additional_info);
    show("REDIRECT", [
      h("div", { "class": "spinner", role: "progressbar", "aria-label": T.redirecting }),
      h("p", { "class": "muted", "data-testid": "redirect-message", text: T.redirecting })
    ], { center: true });
    result({ status: "REDIRECT", message: ok ? "Redirecting to success_redirect_url." : "Redirecting to fail_redirect_url.",
             secondary_status: ok ? "OK" : resp.granular_status_code, bank: bankInfo(true), exit_point: "REDIRECT",
             open_banking_redirect_url: url.toString() });
  }
  // The bank's own authorise step (simulated), shared by checkout and authorizeConsent.
  function authoriseAtBank(path, body) {
    loading(T.redirecting);
    body.bank_identifier = state.bank.identifier;
    body.username = state.username; body.password = state.password; body.otp = state.otp || null;
    if (q.get("account_id")) body.account_id = q.get("account_id");
    api(path, { method: "POST", body: body }).then(function (r) {
      if (!r.ok) { apiFail(r, "BANK_AUTHORISATION"); return; }
      if (r.body.status === "REDIRECT") redirectTo(r.body);
      else fail(r.body.status || "UNKNOWN", r.body.message || T.error_title, "BANK_AUTHORISATION");
    }).catch(networkError);
  }
  function showBankAuthorise(title, rows, path, body) {
    var button = h("button", { type: "button", "class": "btn", text: T.authorise, on: { click: function () {
      button.disabled = true;
      authoriseAtBank(path, body);
    } } });
    show("BANK_AUTHORISATION", [bankHead(state.bank), h("h1", { text: title }), facts(rows), h("div", { "class": "grow" }), button]);
  }
  function startCheckout() {
    loading(T.loading);
    if (!needToken()) return;
    loadIntent().then(function (ctx) {
      if (!ctx) return;
      customerId = ctx.customer_id;
      var body = { payment_intent_id: ctx.payment_intent_id };
      // A bank that refuses the login (locked, bank error) sends the user to fail_redirect_url.
      loginFailHook = function () { authoriseAtBank("/link/api/checkout", body); };
      chooseBankThenLogin(function () {
        showBankAuthorise(fmt(T.authorise_payment, { bank: bankName(state.bank) }), [
          [T.amount, "payment-amount", money(ctx.amount, ctx.currency)],
          [T.to, "payment-recipient", ctx.destination ? ctx.destination.display_name || ctx.destination.name : ""],
          [T.reference, "payment-reference", ctx.description],
          // customer_name: who is paying, as the merchant knows them (shown to the bank here).
          q.get("customer_name") ? [T.payer, "payment-payer", q.get("customer_name")] : null
        ], "/link/api/checkout", body);
      });
    });
  }
  function startAuthorizeConsent() {
    checkSession().then(function (ok) {
      if (!ok) return;
      api("/link/api/consents").then(function (r) {
        if (!r.ok) { apiFail(r, "INITIALIZATION"); return; }
        var c = (r.body.consents || []).filter(function (x) { return x.consent_id === q.get("consent_id"); })[0];
        if (!c) { fail("UNKNOWN_CONSENT", "No consent was found for this consent_id.", "INITIALIZATION"); return; }
        if (c.status !== "AWAITING_AUTHORISATION") {
          fail("INVALID_CONSENT_STATUS", "The consent is " + c.status + " and cannot be authorised.", "INITIALIZATION"); return;
        }
        var body = { consent_id: c.consent_id };
        loginFailHook = function () { authoriseAtBank("/link/api/authorize-consent", body); };
        chooseBankThenLogin(function () {
          showBankAuthorise(fmt(T.consent_auth_title, { dest: c.destination_name || "" }), [
            c.max_individual_amount != null ? [T.consent_limit, "consent-limit", money(c.max_individual_amount, c.currency)] : null,
            [T.reference, "consent-reference", c.reference],
            [T.expires, "consent-expiry", showDate(new Date(c.expiration_date_time))]
          ], "/link/api/authorize-consent", body);
        });
      }).catch(networkError);
    });
  }
  function startCaptureRedirect() {
    checkSession().then(function (ok) {
      if (!ok) return;
      var attempt = q.get("consent_attempt_id");
      var code = q.get("granular_status_code");
      var info = q.get("status_additional_info");
      if (!attempt) { fail(code || "UNKNOWN", info || "The bank did not return a consent_attempt_id.", "CAPTURE_REDIRECT"); return; }
      api("/link/api/attempts/" + encodeURIComponent(attempt)).then(function (r) {
        if (!r.ok) { apiFail(r, "CAPTURE_REDIRECT"); return; }
        var a = r.body;
        state.bank = { identifier: a.bank_identifier };
        if (a.outcome !== "SUCCESS") {
          fail(a.granular_status_code || code || "FAILED", a.status_additional_info || info || T.error_title, "CAPTURE_REDIRECT");
          return;
        }
        var isPay = a.kind === "PAYMENT";
        successScreen(T.capture_ok_title, isPay ? T.capture_ok_pay : T.capture_ok_consent,
          { status: "SUCCESS", message: isPay ? "Payment authorised." : "Consent authorised.",
            secondary_status: isPay ? (a.payment_status || "OK") : "OK", bank: bankInfo(true), exit_point: "SUCCESS" },
          isPay ? facts([[T.status, "payment-status", a.payment_status], [T.amount, "payment-amount", money(a.amount, a.currency)]]) : null);
      }).catch(networkError);
    });
  }
  function startManageConsents() {
    checkSession().then(function (ok) { if (ok) renderConsents(); });
  }
  function renderConsents() {
    api("/link/api/consents").then(function (r) {
      if (!r.ok) { apiFail(r, "MANAGE_CONSENTS"); return; }
      var list = r.body.consents || [];
      var done = function () {
        result({ status: "SUCCESS", message: "Consent management closed.", secondary_status: "OK", exit_point: "MANAGE_CONSENTS" });
      };
      var items = list.map(function (c) {
        var revoke = c.status === "AUTHORISED" ? h("button", { type: "button", "class": "btn secondary",
          "data-testid": "revoke-" + c.consent_id, text: T.revoke, on: { click: function () {
            revoke.disabled = true;
            api("/link/api/consents/" + encodeURIComponent(c.consent_id) + "/revoke", { method: "POST", body: {} })
              .then(function (x) { if (!x.ok) apiFail(x, "MANAGE_CONSENTS"); else renderConsents(); })
              .catch(networkError);
          } } }) : null;
        return h("li", { "data-testid": "consent-item", "data-consent-id": c.consent_id }, [
          h("strong", { text: (c.destination_name || c.reference) }),
          h("span", { "class": "muted", text: (c.bank_name || "—") + " · " + c.reference }),
          h("span", { "class": "pill", "data-testid": "consent-status", text: c.status }),
          revoke
        ]);
      });
      show("MANAGE_CONSENTS", [
        h("h1", { text: T.manage_title }),
        h("p", { "class": "muted", text: T.manage_sub }),
        list.length ? h("ul", { "class": "perms" }, items) : h("p", { "class": "hint", "data-testid": "no-consents", text: T.no_consents }),
        h("div", { "class": "grow" }),
        h("button", { type: "button", "class": "btn", text: T.done, on: { click: done } })
      ], { onClose: done });
    }).catch(networkError);
  }
  function startBeneficiary() {
    checkSession().then(function (ok) {
      if (!ok) return;
      var dest = q.get("payment_destination_id");
      var entityId = q.get("entity_id");
      api("/link/api/destination?payment_destination_id=" + encodeURIComponent(dest)).then(function (r) {
        if (!r.ok) { apiFail(r, "INITIALIZATION"); return; }
        var d = r.body.destination;
        var add = function (login) {
          loading(T.loading);
          var body = { payment_destination_id: dest, payment_source_id: q.get("payment_source_id") || null,
                       entity_id: entityId || null };
          Object.keys(login || {}).forEach(function (k) { body[k] = login[k]; });
          api("/link/api/beneficiary", { method: "POST", body: body }).then(function (x) {
            if (!x.ok) { apiFail(x, "BENEFICIARY"); return; }
            // A login the bank refused ends as a connect login does.
            if (x.body.status !== "OK") { fail(x.body.status || "UNKNOWN", x.body.message || "", "BENEFICIARY"); return; }
            var b = x.body.beneficiary;
            state.bank = state.bank || { identifier: x.body.bank_identifier };
            var cooling = b.status !== "ACTIVE";
            successScreen(T.benef_added, cooling ? T.benef_cooloff : "",
              { status: "SUCCESS", message: "Beneficiary added.", secondary_status: cooling ? "PENDING_BENEFICIARY_COOL_OFF" : "ACTIVE",
                bank: bankInfo(true), exit_point: "SUCCESS" },
              facts([[T.status, "beneficiary-status", b.status],
                     cooling ? [T.cooloff_until, "cool-off-expiry", new Date(b.beneficiary_cool_off_expiry).toLocaleString(lang === "ar" ? "ar-AE" : "en-GB")] : null]));
          }).catch(networkError);
        };
        var recipient = facts([[T.to, "beneficiary-name", d.display_name || d.name], ["IBAN", "beneficiary-iban", d.iban || ""]]);
        if (!entityId) {
          var button = h("button", { type: "button", "class": "btn", text: T.add_benef, on: { click: function () {
            button.disabled = true;
            add(null);
          } } });
          show("BENEFICIARY", [h("h1", { text: T.benef_title }), h("p", { "class": "muted", text: T.benef_sub }),
            recipient, h("div", { "class": "grow" }), button]);
          return;
        }
        // A data-only connection gains payments: the person logs in to that bank again first.
        api("/link/api/entity-bank?entity_id=" + encodeURIComponent(entityId)).then(function (e) {
          if (!e.ok) { apiFail(e, "INITIALIZATION"); return; }
          state.banks = [e.body.bank];
          state.bank = e.body.bank;
          var name = bankName(e.body.bank);
          afterLoginHook = function () {
            add({ bank_identifier: state.bank.identifier, username: state.username, password: state.password,
                  otp: state.otp || null });
          };
          show("BENEFICIARY", [
            h("h1", { text: fmt(T.upgrade_title, { bank: name }) }),
            h("p", { "class": "muted", text: fmt(T.upgrade_sub, { bank: name }) }),
            recipient,
            h("div", { "class": "grow" }),
            h("button", { type: "button", "class": "btn", "data-testid": "upgrade-continue",
              text: fmt(T.upgrade_go, { bank: name }), on: { click: function () { showLogin(false); } } })
          ]);
        }).catch(networkError);
      }).catch(networkError);
    });
  }
  function startVerifyAddress() {
    permissions = ["identity"];
    checkSession().then(function (ok) {
      if (!ok) return;
      chooseBankThenLogin(function () {
        loading(T.loading);
        api("/link/api/verify-address", { method: "POST", body: {
          customer_id: customerId, bank_identifier: state.bank.identifier, username: state.username,
          password: state.password, otp: state.otp || null, customer_name: q.get("customer_name")
        } }).then(function (r) {
          if (!r.ok) { apiFail(r, "VERIFY_ADDRESS"); return; }
          if (r.body.status === "OK") {
            successScreen(T.verify_title, r.body.message || "",
              { status: "SUCCESS", message: "Address verified.", secondary_status: "OK", bank: bankInfo(true), exit_point: "SUCCESS" });
          } else {
            fail(r.body.status || "UNKNOWN", r.body.message || fmt(T.verify_fail, { name: q.get("customer_name") }), "VERIFY_ADDRESS");
          }
        }).catch(networkError);
      });
    });
  }
  function startReconnect() {
    loading(T.loading);
    if (!needToken()) return;
    api("/link/api/reconnect?reconnect_id=" + encodeURIComponent(q.get("reconnect_id"))).then(function (r) {
      if (!r.ok) { apiFail(r, "INITIALIZATION"); return; }
      customerId = r.body.customer_id;
      var bank = r.body.bank;
      state.banks = [bank];
      state.bank = bank;
      afterLoginHook = function () {
        loading(T.connecting);
        api("/link/api/reconnect", { method: "POST", body: {
          reconnect_id: q.get("reconnect_id"), username: state.username, password: state.password, otp: state.otp || null
        } }).then(function (x) {
          if (!x.ok) { apiFail(x, "RECONNECT"); return; }
          if (x.body.status !== "OK") { fail(x.body.status || "UNKNOWN", x.body.message || T.error_title, "RECONNECT"); return; }
          successScreen(T.reconnect_done, fmt(T.reconnect_sub, { bank: bankName(state.bank) }),
            { status: "SUCCESS", message: "Bank reconnected.", secondary_status: "OK", bank: bankInfo(true), exit_point: "SUCCESS" });
        }).catch(networkError);
      };
      showLogin(false);
    }).catch(networkError);
  }

  // One entry per SDK method; the rest fall through to notAvailable.
  var FLOWS = {
    connect: startConnect,
    link: startConnect,
    createPaymentSource: startConnect,
    pay: startPay,
    checkout: startCheckout,
    authorizeConsent: startAuthorizeConsent,
    captureRedirect: startCaptureRedirect,
    manageConsents: startManageConsents,
    updatePaymentSource: startBeneficiary,
    createBeneficiary: startBeneficiary,
    verifyAddress: startVerifyAddress,
    reconnect: startReconnect
  };

  if (!hostOrigin) {
    // Without a valid parent origin we cannot report safely; say so on screen only.
    show("ERROR", [h("h1", { text: T.error_title }),
      h("p", { "class": "muted", role: "alert", text: "host_origin is missing or invalid; open Link through the loader script." })]);
    return;
  }
  // createPaymentSource is connect with exactly ["payments"], whatever else was passed.
  if (method === "createPaymentSource") permissions = ["payments"];
  var flow = FLOWS[method] || notAvailable;
  if (accessToken || flow === notAvailable) {
    flow();
  } else {
    // Lean's SDK takes access_token as optional. Without one, the session is opened from the
    // app_token and what the config names (customer_id, or the intent or reconnect it belongs
    // to), for that one customer only.
    loading(T.loading);
    fetch("/link/api/token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({
      app_token: q.get("app_token") || "", customer_id: customerId || null,
      payment_intent_id: q.get("payment_intent_id") || null,
      bulk_payment_intent_id: q.get("bulk_payment_intent_id") || null, reconnect_id: q.get("reconnect_id") || null
    }) }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        state.lastApi = JSON.stringify({ http_status: res.status, status: body.status || null, message: body.message || null });
        if (!res.ok || !body.access_token) {
          fail(body.status || "UNKNOWN", body.message || "The session could not be opened.", "INITIALIZATION");
          return;
        }
        accessToken = body.access_token;
        flow();
      });
    }).catch(networkError);
  }
})();
