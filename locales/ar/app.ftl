# إطار الصفحة: الترويسة والتنقل والتذييل ومبدّل اللغة والكلمات المشتركة.
app-name = lean-merchant
skip-to-content = انتقل إلى المحتوى
footer-note = lean-merchant — تطبيق مرجعي لحزمة Link من Lean. بيانات تجريبية فقط؛ لا تنتقل أي أموال حقيقية.
nav-account = الحساب
nav-dashboard = لوحة التحكم
nav-payments = المدفوعات
nav-consents = الموافقات
nav-diagnostics = التشخيص
nav-console = وحدة المطوّر
nav-sandbox = بيئة التجربة
nav-signed-in = مسجّل الدخول
nav-sign-out = تسجيل الخروج
nav-sign-in = تسجيل الدخول
nav-create-account = إنشاء حساب
lang-switch-label = اللغة
lang-switch-to = View this page in English

# كلمات مشتركة
loading = جارٍ التحميل…
live-connecting = جارٍ الاتصال…
live-live = مباشر
live-reconnecting = جارٍ إعادة الاتصال…
try-again = حاول مرة أخرى
cancel = إلغاء
close = إغلاق
bank-accounts-count = { $count ->
    [zero] لا حسابات
    [one] حساب واحد
    [two] حسابان
    [few] { $count } حسابات
    [many] { $count } حسابًا
   *[other] { $count } حساب
}

# رسائل الأخطاء بكلمات واضحة
error-sign-in-required = يُرجى تسجيل الدخول للمتابعة.
error-bad-credentials = البريد الإلكتروني وكلمة المرور لا يطابقان أي حساب.
error-email-taken = يوجد حساب بهذا البريد الإلكتروني. سجّل الدخول بدلًا من ذلك.
error-forbidden = هذا يخص حسابًا آخر، فلا يمكن استخدامه هنا.
error-not-found = لم يُعثر على { $what }.
error-lean = رفضت Lean الطلب: { $message } ({ $code })
error-lean-unavailable = تعذّر الوصول إلى Lean. يُرجى المحاولة بعد قليل.
error-internal = حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى.
error-too-many-attempts = { $seconds ->
    [zero] محاولات كثيرة جدًا. يُرجى المحاولة مرة أخرى الآن.
    [one] محاولات كثيرة جدًا. يُرجى الانتظار ثانية واحدة ثم المحاولة مرة أخرى.
    [two] محاولات كثيرة جدًا. يُرجى الانتظار ثانيتين ثم المحاولة مرة أخرى.
    [few] محاولات كثيرة جدًا. يُرجى الانتظار { $seconds } ثوانٍ ثم المحاولة مرة أخرى.
    [many] محاولات كثيرة جدًا. يُرجى الانتظار { $seconds } ثانية ثم المحاولة مرة أخرى.
   *[other] محاولات كثيرة جدًا. يُرجى الانتظار { $seconds } ثانية ثم المحاولة مرة أخرى.
}
error-busy = الخادم مشغول. يُرجى المحاولة مرة أخرى بعد بضع ثوانٍ.
error-cross-origin = جاء هذا الطلب من موقع آخر، لذلك رُفض. عُد إلى التطبيق وحاول مرة أخرى من هناك.
error-too-large = هذا أكثر مما يقبله التطبيق. يُرجى اختصاره ثم المحاولة مرة أخرى.
error-transport = تعذّر الوصول إلى الخادم: { $detail }

# حزمة Link نفسها
sdk-not-loaded = لم تُحمَّل حزمة Link من Lean. تحقّق من اتصالك ثم أعد تحميل الصفحة.
sdk-launch-refused = رفضت حزمة Link من Lean البدء: { $detail }
sdk-unreadable-callback = أعادت الحزمة بيانات لم يتمكن التطبيق من قراءتها.
flow-not-saved = تعذّر حفظ النتيجة: { $error }
