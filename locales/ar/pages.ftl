# الصفحات: الرئيسية وتسجيل الدخول وإنشاء الحساب ووحدة المطوّر ولوحة بيئة التجربة والتشخيص وصفحة غير موجودة.

## وحدة المطوّر (console-)
console-title = وحدة المطوّر
console-intro = الـ webhooks التي استلمها هذا التطبيق والطلبات التي أرسلها إلى Lean، الأحدث أولًا، مباشرةً لحظة حدوثها. لا تُعرض الرموز أو الأسرار أو قيم التوقيع أبدًا.
console-scope-own = تظهر لك طلباتك والـ webhooks الخاصة بك فقط: ما أُرسل من أجلك وما يخص عميلك لدى Lean. طلبات الآخرين وما يخص التطبيق كله لمشرفي التطبيق.
console-scope-everyone = { $refused ->
    [zero] عرض المشرف: طلبات كل المستخدمين والـ webhooks الخاصة بهم. لم يُرفض أي webhook بسبب توقيعه منذ بدء التطبيق.
    [one] عرض المشرف: طلبات كل المستخدمين والـ webhooks الخاصة بهم. رُفض webhook واحد بسبب توقيعه منذ بدء التطبيق.
    [two] عرض المشرف: طلبات كل المستخدمين والـ webhooks الخاصة بهم. رُفض webhook اثنان بسبب توقيعهما منذ بدء التطبيق.
    [few] عرض المشرف: طلبات كل المستخدمين والـ webhooks الخاصة بهم. رُفضت { $refused } webhooks بسبب توقيعها منذ بدء التطبيق، وتظهر عينة منها.
    [many] عرض المشرف: طلبات كل المستخدمين والـ webhooks الخاصة بهم. رُفض { $refused } webhook بسبب توقيعه منذ بدء التطبيق، وتظهر عينة منها.
   *[other] عرض المشرف: طلبات كل المستخدمين والـ webhooks الخاصة بهم. رُفض { $refused } webhook بسبب توقيعه منذ بدء التطبيق، وتظهر عينة منها.
}
console-loading = جارٍ تحميل وحدة المطوّر…
console-forbidden = وحدة المطوّر متاحة للمشرفين فقط (ADMIN_EMAILS).
console-webhooks-title = الـ webhooks الواردة
console-webhooks-caption = الـ webhooks المستلمة من Lean، الأحدث أولًا
console-calls-title = طلبات Lean API الصادرة
console-calls-caption = الطلبات التي أرسلها هذا التطبيق إلى واجهة Lean، الأحدث أولًا
console-col-received = الاستلام
console-col-type = النوع
console-col-event-id = معرّف الحدث
console-col-signature = التوقيع
console-col-processing = المعالجة
console-col-actions = الإجراءات
console-col-when = الوقت
console-col-method = الطريقة
console-col-path = المسار
console-col-status = الحالة
console-col-latency = زمن الاستجابة
console-no-webhooks = لا توجد webhooks بعد. اربط بنكًا أو أرسل webhook تجريبيًا.
console-no-calls = لا توجد طلبات إلى Lean بعد.
console-no-webhooks-match = لا توجد webhooks تطابق هذا الاختيار.
console-no-calls-match = لا توجد طلبات تطابق هذا الاختيار.
console-filter-invalid = لا تستطيع وحدة التحكم عرض هذا الاختيار: اختر نوعًا وحالة من القائمتين.
console-failed-calls-only = الطلبات الفاشلة فقط
console-pages-webhooks = صفحات الإشعارات
console-pages-calls = صفحات الطلبات إلى Lean
console-newest = الأحدث
console-older = الأقدم
console-filter-type = النوع
console-filter-status = الحالة
console-filter-all = الكل
console-status-received = مستلَم
console-status-processing = قيد المعالجة
console-status-processed = تمت معالجته
console-status-failed = فشل
console-status-rejected = مرفوض
console-verdict-valid = توقيع صحيح
console-verdict-rejected = مرفوض: { $reason }
console-reject-missing = ترويسة lean-signature غير موجودة
console-reject-malformed = ترويسة lean-signature ليست بالصيغة sha512=<hex>
console-reject-mismatch = التوقيع لا يطابق المحتوى
console-refused-note = كان الرد 401؛ ولم يُحفظ المحتوى ({ $bytes ->
    [zero] { $bytes } بايت
    [one] بايت واحد
    [two] بايتان
    [few] { $bytes } بايتات
    [many] { $bytes } بايتًا
   *[other] { $bytes } بايت
}).
console-attempts = { $count ->
    [zero] لا محاولات
    [one] محاولة واحدة
    [two] محاولتان
    [few] { $count } محاولات
    [many] { $count } محاولة
   *[other] { $count } محاولة
}
console-replay = إعادة التشغيل
console-replay-label = إعادة تشغيل الـ webhook { $id }
console-replay-started = جارٍ إعادة التشغيل: يطبّق المعالج الـ webhook مرة أخرى، ويتحدّث صفّه هنا.
console-replay-malformed = هذا المحتوى ليس حدثًا من Lean، فلن تفيد إعادة تطبيقه.
console-replay-busy = يُطبَّق هذا الـ webhook الآن؛ حاول مرة أخرى بعد لحظات.
console-the-webhook = هذا الـ webhook
console-payload = المحتوى
console-payload-label = محتوى الـ webhook
console-no-answer = لا رد
console-latency = { $ms } ملّي ثانية
console-test-type = نوع الحدث
console-test-send = إرسال webhook تجريبي موقّع
console-test-type-invalid = اختر أحد أنواع الأحداث المعروضة.
console-test-accepted = أُرسل { $type } ({ $id })؛ وتحقّقت نقطة الاستقبال من التوقيع وقبلته.
console-test-answered = أُرسل { $type } ({ $id })؛ وكان رد نقطة الاستقبال { $status }.

## لوحة بيئة التجربة (panel-)
panel-title = لوحة بيئة التجربة
panel-intro = بيئة Lean التجريبية المدمجة: مستخدموها التجريبيون، ومفاتيح تجعل Lean تجيب كما تحتاج في العرض التوضيحي. كل ما هنا يغيّر بيئة التجربة المحلية فقط.
panel-embedded-only = لوحة بيئة التجربة متاحة فقط مع بيئة التجربة المدمجة.
panel-the-panel = لوحة بيئة التجربة
panel-users-title = المستخدمون التجريبيون
panel-users-hint = سجّل الدخول إلى Lean Mockbank بهذه البيانات. رمز التحقق لمرة واحدة هو دائمًا:
panel-col-user = المستخدم
panel-col-password = كلمة المرور
panel-col-behaviour = السلوك
panel-behaviour-simple = يسجّل الدخول مباشرة.
panel-behaviour-otp = يطلب رمز تحقق لمرة واحدة: 1111.
panel-behaviour-locked = يفيد البنك بأن الحساب مقفل.
panel-behaviour-bank-error = يواجه البنك مشكلة فنية.
panel-behaviour-slow = يسجّل الدخول بعد تأخير ثانيتين.
panel-expire-title = إنهاء جلسة بنكية
panel-expire-hint = يسجّل البنك خروج المستخدم: تجيب بنوكه بـ RECONNECT_REQUIRED حتى يعيد الربط.
panel-test-user = المستخدم التجريبي
panel-expire-button = إنهاء الجلسة
panel-expired = { $count ->
    [0] سجّل البنك خروج { $user }. لا يوجد من بنوكك بنك مربوط بـ { $user }، فلم يتغيّر شيء يخصّك.
    [one] سجّل البنك خروج { $user }: بنكك المربوط بـ { $user } يطلب منك الآن تسجيل الدخول من جديد (RECONNECT_REQUIRED). وتقول بطاقته في لوحة التحكم ذلك.
    [two] سجّل البنك خروج { $user }: بنكاك المربوطان بـ { $user } يطلبان منك الآن تسجيل الدخول من جديد (RECONNECT_REQUIRED). وتقول بطاقتاهما في لوحة التحكم ذلك.
   *[other] سجّل البنك خروج { $user }: { $count } من بنوكك المربوطة بـ { $user } تطلب منك الآن تسجيل الدخول من جديد (RECONNECT_REQUIRED). وتقول بطاقاتها في لوحة التحكم ذلك.
}
panel-next-title = طلب البيانات التالي
panel-next-hint = لمرة واحدة: في المرة القادمة التي يقرأ فيها التطبيق بيانات هذا البنك، تجيب Lean بهذه الطريقة.
panel-bank = البنك
panel-outcome = النتيجة
panel-code = الرمز (FAILED)
panel-next-button = ضبط الطلب التالي
panel-no-banks = اربط بنكًا أولًا، ثم يمكنك تحديد نتيجة طلب بياناته التالي.
panel-how-pending = PENDING (لا يزال البنك يجهّز البيانات)
panel-next-call-set = سينتهي طلب البيانات التالي لـ { $bank } بالنتيجة { $how }. افتح صفحة البنك لمشاهدتها.
panel-fault-title = إدخال عطل
panel-fault-hint = تجيب واجهة Lean بأخطاء أو ببطء لنسبة من الطلبات. يعيد التطبيق محاولة طلبات القراءة.
panel-fault = العطل
panel-fault-option-500 = 500 خطأ داخلي في الخادم
panel-fault-option-429 = 429 تجاوز حد الطلبات
panel-fault-option-latency = تأخير إضافي
panel-rate = النسبة (0–1)
panel-latency = التأخير (ملّي ثانية)
panel-fault-button = إدخال
panel-fault-500 = ستفشل الآن { $percent }% من طلبات Lean API بالخطأ 500 INTERNAL_SERVER_ERROR.
panel-fault-429 = سيُرفض الآن { $percent }% من طلبات Lean API بالخطأ 429 RATE_LIMIT_EXCEEDED.
panel-fault-latency = سيتأخر الآن { $percent }% من طلبات Lean API بمقدار { $ms } ملّي ثانية.
panel-fault-clear-hint = امسح السيناريوهات لإيقافه.
panel-clear-title = مسح السيناريوهات
panel-clear-button = مسح جميع السيناريوهات
panel-cleared = مُسحت جميع السيناريوهات: تعمل بيئة التجربة بشكل طبيعي مجددًا. تبقى الجلسات المنتهية منتهية حتى يعيد المستخدم الربط.
panel-choose-test-user = اختر أحد المستخدمين التجريبيين.
panel-choose-own-bank = اختر أحد بنوكك.
panel-choose-outcome = اختر إحدى النتائج المعروضة.
panel-choose-code = اختر أحد الرموز المعروضة.
panel-rate-invalid = النسبة رقم من 0 إلى 1.
panel-latency-invalid = التأخير من 0 إلى 60000 ملّي ثانية.
panel-fault-invalid = اختر عطلًا: 500 أو 429 أو latency.
panel-no-reason = لم يُذكر سبب
panel-sandbox-refused = رفضت بيئة التجربة الطلب ({ $status }): { $message }

## التشخيص (diag-)
diag-title = التشخيص
diag-intro = ما يراه هذا الخادم من إعداداته ومن Lean. لا تُعرض القيم السرية أبدًا.
diag-running = جارٍ تشغيل الفحوصات…
diag-forbidden = التشخيص متاح للمشرفين فقط (ADMIN_EMAILS).
diag-database-ok = قاعدة البيانات تستجيب.
diag-lean-ok = أصدرت Lean رمز وصول: بيانات الاعتماد تعمل.
diag-ok = سليم
diag-failing = فاشل
diag-checks-title = الفحوصات
diag-check-database = قاعدة البيانات
diag-check-lean = بيانات اعتماد Lean
diag-register-title = سجّلها في لوحة تحكم Lean
diag-webhook-url = رابط الـ webhook (Development → Webhooks)
diag-redirect-urls = روابط إعادة التوجيه (Integration settings)
diag-lean-env = بيئة Lean:
diag-last-webhook-title = آخر webhook مستلَم
diag-none-yet = لا شيء بعد.
diag-settings-title = الإعدادات
diag-col-variable = المتغيّر
diag-col-state = الحالة
diag-set = مضبوط
diag-not-set = غير مضبوط (الافتراضي)
diag-catch-up = استدراك الـ webhooks الفائتة الآن
diag-caught-up-nothing = عدد الأحداث المفحوصة من Lean: { $seen }. لم يفُت شيء.
diag-caught-up = عدد الأحداث المفحوصة من Lean: { $seen }. { $new ->
    [one] فات حدث واحد ويجري تطبيقه الآن.
    [two] فات حدثان ويجري تطبيقهما الآن.
    [few] فاتت { $new } أحداث ويجري تطبيقها الآن.
   *[other] فات { $new } حدثًا ويجري تطبيقها الآن.
}

## الصفحة الرئيسية (home-)
home-title = اربط حسابك البنكي في أقل من دقيقة
home-lead = يعرض lean-merchant كل خطوة في حزمة Link للخدمات المصرفية المفتوحة من Lean: سجّل الدخول، واربط بنكًا، وشاهد الربط يصل مباشرةً مع وصول الـ webhooks الموقّعة من Lean.
home-create-account = إنشاء حساب
home-sign-in = تسجيل الدخول
home-step-sign-up = أنشئ حسابًا
home-step-sign-up-detail = ننشئ لك ملف عميل لدى Lean.
home-step-connect = اربط بنكًا
home-step-connect-detail = تُفتح حزمة Link من Lean فوق هذه الصفحة.
home-step-live = تابِع مباشرةً
home-step-live-detail = يظهر البنك عند وصول الـ webhook من Lean.

## تسجيل الدخول وإنشاء الحساب (auth-)
auth-sign-in-title = تسجيل الدخول
auth-sign-in-submit = تسجيل الدخول
auth-new-here = مستخدم جديد؟
auth-create-account-link = أنشئ حسابًا
auth-sign-up-title = أنشئ حسابك
auth-sign-up-intro = ستربط بنكًا تجريبيًا في الخطوة التالية. لا حاجة إلى بيانات بنكية حقيقية.
auth-sign-up-submit = إنشاء حساب
auth-have-account = لديك حساب بالفعل؟
auth-sign-in-link = سجّل الدخول
auth-email = البريد الإلكتروني
auth-password = كلمة المرور
auth-please-wait = يُرجى الانتظار…
auth-email-invalid = أدخل بريدًا إلكترونيًا مثل name@example.com.
auth-password-too-short = استخدم كلمة مرور من 8 أحرف على الأقل.
auth-password-too-long = استخدم كلمة مرور من 128 حرفًا على الأكثر.
auth-password-missing = أدخل كلمة المرور.

## الصفحة غير موجودة (notfound-)
notfound-title = الصفحة غير موجودة
notfound-text = لا يوجد شيء على هذا العنوان.
notfound-home-link = الذهاب إلى الصفحة الرئيسية
